package dev.flotilla.agent.system;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.agent.CheckResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthCheckRunnerTest {
    private static final HealthCheck.Policy ONCE = new HealthCheck.Policy(Duration.ofSeconds(1), 1, Duration.ZERO);

    @TempDir
    Path root;

    @Test
    void commandTimeoutKillsTheProcess() {
        long start = System.nanoTime();
        CheckResult r = new HealthCheckRunner(root).run(new HealthCheck.Command("slow", "sleep 30", ONCE), root);
        assertFalse(r.healthy());
        assertTrue(r.output().startsWith("timed out after 1s"), r.output());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
    }

    @Test
    void retriesUntilHealthy() {
        String command = "n=$(cat count 2>/dev/null || echo 0); echo $((n+1)) > count; test $n -ge 2";
        CheckResult r = new HealthCheckRunner(root).run(
                new HealthCheck.Command("third", command, new HealthCheck.Policy(Duration.ofSeconds(5), 5, Duration.ZERO)), root);
        assertTrue(r.healthy(), r.output());
        assertEquals(3, r.attempts());
    }

    @Test
    void httpAndTcpChecks() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/health", exchange -> {
            byte[] body = "all ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        try (ServerSocket tcp = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            HealthCheckRunner runner = new HealthCheckRunner(root);
            URI url = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/health");
            assertTrue(runner.run(new HealthCheck.Http("web", url, 200, Optional.of("ok"), ONCE), root).healthy());
            CheckResult body = runner.run(new HealthCheck.Http("web", url, 200, Optional.of("ready"), ONCE), root);
            assertEquals("HTTP 200 but the body lacks 'ready'", body.output());
            assertFalse(runner.run(new HealthCheck.Http("web", url, 204, Optional.empty(), ONCE), root).healthy());
            assertTrue(runner.run(new HealthCheck.Tcp("db", "127.0.0.1", tcp.getLocalPort(), ONCE), root).healthy());
        } finally {
            http.stop(0);
        }
        try (ServerSocket closed = new ServerSocket(0)) {
            int port = closed.getLocalPort();
            closed.close();
            assertFalse(new HealthCheckRunner(root).run(new HealthCheck.Tcp("db", "127.0.0.1", port, ONCE), root).healthy());
        }
    }
}
