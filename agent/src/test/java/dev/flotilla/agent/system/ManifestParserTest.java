package dev.flotilla.agent.system;

import dev.flotilla.agent.AgentException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestParserTest {
    @Test
    void parsesTheDocumentedExample() {
        Manifest m = ManifestParser.parse("m.json", """
                {"version":1,"host":"web-1","etc":{"motd":{"mode":"0444"},"app/app.conf":{"mode":"0444"}},
                 "healthChecks":{
                   "app":{"type":"command","command":"test -f etc/motd","timeoutSeconds":10,"retries":3,"intervalSeconds":1},
                   "web":{"type":"http","url":"http://127.0.0.1:8080/health","expectBody":"ok"},
                   "db":{"type":"tcp","host":"127.0.0.1","port":5432}}}
                """);
        assertEquals("web-1", m.host());
        assertEquals(List.of("app/app.conf", "motd"), List.copyOf(m.etc().keySet()));
        HealthCheck.Policy policy = new HealthCheck.Policy(Duration.ofSeconds(10), 3, Duration.ofSeconds(1));
        assertEquals(List.of(
                new HealthCheck.Command("app", "test -f etc/motd", policy),
                new HealthCheck.Http("web", URI.create("http://127.0.0.1:8080/health"), 200, Optional.of("ok"), HealthCheck.Policy.DEFAULT),
                new HealthCheck.Tcp("db", "127.0.0.1", 5432, HealthCheck.Policy.DEFAULT)), m.healthChecks());
    }

    @Test
    void errorsNameTheFileAndTheField() {
        assertError("m.json: healthChecks.x.command: missing",
                "{\"version\":1,\"host\":\"h\",\"healthChecks\":{\"x\":{\"type\":\"command\"}}}");
        assertError("m.json: healthChecks.x.type: unknown check type 'ping' (expected command, http or tcp)",
                "{\"version\":1,\"host\":\"h\",\"healthChecks\":{\"x\":{\"type\":\"ping\"}}}");
        assertError("m.json: etc.../passwd: etc entry name '../passwd' has an invalid segment '..'",
                "{\"version\":1,\"host\":\"h\",\"etc\":{\"../passwd\":{\"mode\":\"0444\"}}}");
        assertError("m.json: unsupported manifest version 2 (this agent reads 1)", "{\"version\":2,\"host\":\"h\"}");
        assertError("m.json: healthChecks.t.port: expected an integer, got \"80\"",
                "{\"version\":1,\"host\":\"h\",\"healthChecks\":{\"t\":{\"type\":\"tcp\",\"host\":\"x\",\"port\":\"80\"}}}");
        AgentException syntax = assertThrows(AgentException.class, () -> ManifestParser.parse("m.json", "{\"version\":"));
        assertTrue(syntax.getMessage().startsWith("m.json:1:"), syntax.getMessage());
    }

    private static void assertError(String expected, String json) {
        AgentException e = assertThrows(AgentException.class, () -> ManifestParser.parse("m.json", json));
        assertEquals(AgentException.Kind.BAD_MANIFEST, e.kind());
        assertEquals(expected, e.getMessage());
    }
}
