package dev.flotilla.controller.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flotilla.cli.ExitCodes;
import dev.flotilla.cli.remote.ControllerClient;
import dev.flotilla.cli.remote.RemoteException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CLI's client of this API against a scripted server: what the real controller rarely does on cue
 * (a stream cut mid-way, a replay after reconnecting) and its error bodies.
 */
class RemoteClientStreamTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private ControllerClient start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.start();
        return new ControllerClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "secret");
    }

    private static String event(long id, String state) {
        return "id: " + id + "\nevent: host\ndata: {\"seq\":" + id + ",\"kind\":\"HOST\",\"host\":\"a\",\"state\":\"" + state + "\"}\n\n";
    }

    @Test
    void aCutStreamIsResumedFromTheLastEventAndReplaysAreSkipped() throws Exception {
        ControllerClient client = start();
        List<String> lastEventIds = new CopyOnWriteArrayList<>();
        List<String> auth = new CopyOnWriteArrayList<>();
        AtomicInteger connections = new AtomicInteger();
        server.createContext("/api/v1/rollouts/7/stream", ex -> {
            lastEventIds.add(ex.getRequestHeaders().getFirst("Last-Event-ID"));
            auth.add(ex.getRequestHeaders().getFirst("Authorization"));
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            if (connections.incrementAndGet() == 1) {
                // Promises more than it sends, then hangs up: the client sees the stream break.
                byte[] body = (": hello\n\n" + event(1, "COPYING") + event(2, "SWITCHING")).getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length + 1000);
                ex.getResponseBody().write(body);
                ex.getResponseBody().flush();
                ex.close();
            } else {
                send(ex, event(2, "SWITCHING") + event(3, "SWITCHED"));
            }
        });

        List<Long> seen = new CopyOnWriteArrayList<>();
        List<String> states = new CopyOnWriteArrayList<>();
        long last = client.follow(7, 0, e -> {
            seen.add(e.id());
            states.add(e.data().path("state").asText());
        });

        assertEquals(3, last);
        assertEquals(List.of(1L, 2L, 3L), seen);
        assertEquals(List.of("COPYING", "SWITCHING", "SWITCHED"), states);
        assertEquals(List.of("0", "2"), lastEventIds);
        assertEquals(List.of("Bearer secret", "Bearer secret"), auth);
    }

    @Test
    void errorBodiesBecomeExceptionsNamingTheField() throws Exception {
        ControllerClient client = start();
        server.createContext("/api/v1/rollouts", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            byte[] body = "{\"code\":\"invalid\",\"message\":\"no host matches 'web-9'\",\"field\":\"selector\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(400, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/api/v1/rollouts/9", ex -> {
            ex.sendResponseHeaders(401, -1);
            ex.close();
        });

        RemoteException invalid = assertThrows(RemoteException.class, () -> client.post("/api/v1/rollouts", java.util.Map.of("selector", "web-9")));
        assertEquals(400, invalid.status());
        assertEquals("selector", invalid.field());
        assertEquals("selector: no host matches 'web-9'", invalid.describe());
        assertEquals(ExitCodes.INVALID_INPUT, invalid.exitCode());

        RemoteException refused = assertThrows(RemoteException.class, () -> client.get("api/v1/rollouts/9"));
        assertEquals(401, refused.status());
        assertEquals(ExitCodes.INVALID_INPUT, refused.exitCode());

        server.stop(0);
        server = null;
        RemoteException down = assertThrows(RemoteException.class, () -> client.get("api/v1/rollouts"));
        assertEquals(0, down.status());
        assertEquals(ExitCodes.INTERNAL, down.exitCode());
    }

    private static void send(HttpExchange ex, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
