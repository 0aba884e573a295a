package dev.flotilla.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The controller's REST API over {@code java.net.http}: JSON requests with a bearer token, errors as
 * {@link RemoteException}, and a rollout's server-sent events followed to their end (resuming with
 * {@code Last-Event-ID} when the connection drops).
 */
public final class ControllerClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECONNECTS = 5;

    private final URI base;
    private final String token;
    private final HttpClient http;

    public ControllerClient(URI base, String token) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public JsonNode get(String path) throws RemoteException {
        return send(request(path).GET().build());
    }

    public JsonNode post(String path, Object body) throws RemoteException {
        try {
            String text = JSON.writeValueAsString(body);
            return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(text)).build());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("request body is not JSON-serializable", e);
        }
    }

    /** One server-sent event: its number, name and JSON data. */
    public record Event(long id, String name, JsonNode data) {}

    /**
     * Delivers every event of a rollout numbered after {@code after} until the controller ends the stream
     * (after the rollout's last event). Returns the number of the last event delivered.
     */
    public long follow(long rolloutId, long after, Consumer<Event> onEvent) throws RemoteException {
        Cursor cursor = new Cursor(after);
        while (true) {
            HttpRequest req = request("api/v1/rollouts/" + rolloutId + "/stream").header("Accept", "text/event-stream")
                    .header("Last-Event-ID", Long.toString(cursor.last)).GET().build();
            try {
                HttpResponse<Stream<String>> resp = http.send(req, HttpResponse.BodyHandlers.ofLines());
                if (resp.statusCode() >= 300) {
                    throw error(resp.statusCode(), String.join("\n", resp.body().toList()));
                }
                try (Stream<String> lines = resp.body()) {
                    readEvents(lines.iterator(), cursor, onEvent);
                }
                return cursor.last;
            } catch (IOException | java.io.UncheckedIOException e) {
                if (++cursor.failures > RECONNECTS) {
                    throw new RemoteException(0, "unreachable", "lost the event stream of rollout " + rolloutId + ": " + e.getMessage(), null);
                }
                sleep(500L * cursor.failures);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RemoteException(0, "interrupted", "interrupted while following rollout " + rolloutId, null);
            }
        }
    }

    /** Where a stream stands: the last event delivered, and connection failures since the last delivery. */
    private static final class Cursor {
        long last;
        int failures;

        Cursor(long last) {
            this.last = last;
        }
    }

    /** Parses {@code text/event-stream} lines; an event numbered at or below the cursor (a replay) is skipped. */
    private static void readEvents(Iterator<String> lines, Cursor cursor, Consumer<Event> onEvent) throws IOException {
        String id = null;
        String name = "message";
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    long n = id == null ? cursor.last + 1 : Long.parseLong(id.trim());
                    if (n > cursor.last) {
                        onEvent.accept(new Event(n, name, JSON.readTree(data.toString())));
                        cursor.last = n;
                        cursor.failures = 0;
                    }
                }
                id = null;
                name = "message";
                data.setLength(0);
            } else if (!line.startsWith(":")) {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                value = value.startsWith(" ") ? value.substring(1) : value;
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> name = value;
                    case "data" -> data.append(data.isEmpty() ? "" : "\n").append(value);
                    default -> { }
                }
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json").timeout(Duration.ofMinutes(2));
    }

    private JsonNode send(HttpRequest req) throws RemoteException {
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() >= 300) {
                throw error(resp.statusCode(), resp.body());
            }
            return resp.body().isBlank() ? JSON.nullNode() : JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new RemoteException(0, "unreachable", "cannot reach the controller at " + base + ": "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException(0, "interrupted", "interrupted while calling the controller", null);
        }
    }

    /** The controller's error body {@code {code, message, field}}, or the status alone when the body is not that. */
    private static RemoteException error(int status, String body) {
        try {
            JsonNode e = JSON.readTree(body);
            if (e != null && e.hasNonNull("message")) {
                return new RemoteException(status, e.path("code").asText("error"), e.get("message").asText(),
                        e.hasNonNull("field") ? e.get("field").asText() : null);
            }
        } catch (IOException ignored) {
            // not an API error body: report the status
        }
        String what = switch (status) {
            case 401 -> "the token was refused (401): check --token or FLOTILLA_TOKEN";
            case 403 -> "the token's role may not do this (403)";
            case 404 -> "not found (404)";
            default -> "the controller answered " + status;
        };
        return new RemoteException(status, "http-" + status, what, null);
    }

    private static void sleep(long millis) throws RemoteException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException(0, "interrupted", "interrupted", null);
        }
    }
}
