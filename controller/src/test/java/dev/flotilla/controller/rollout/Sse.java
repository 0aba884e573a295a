package dev.flotilla.controller.rollout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A minimal server-sent events reader: the whole stream of a rollout, until the server ends it. */
final class Sse {

    record Event(String id, String name, String data) {}

    private Sse() {}

    static List<Event> read(long rolloutId, String token, String lastEventId, Duration timeout) throws Exception {
        int port = io.restassured.RestAssured.port;
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/rollouts/" + rolloutId + "/stream"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").timeout(timeout);
        if (lastEventId != null) {
            req.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.io.InputStream> res = HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (res.statusCode() != 200) {
            throw new AssertionError("stream answered " + res.statusCode());
        }
        List<Event> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                }
            }
            if (!data.isEmpty()) {
                events.add(new Event(id, name, data.toString()));
            }
        }
        return events;
    }
}
