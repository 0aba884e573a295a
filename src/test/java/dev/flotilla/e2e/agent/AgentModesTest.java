package dev.flotilla.e2e.agent;

import dev.flotilla.agent.AgentStatus;
import dev.flotilla.agent.DriftEntry;
import dev.flotilla.agent.GenerationInfo;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchOptions;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.store.StorePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One real agent process over real SSH, with a real service (a small HTTP server) and an http
 * health check: switch, a service restarted only when its definition changes, drift, test, boot,
 * dry-activate, rollback, generations.
 */
@Timeout(60)
class AgentModesTest {

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static TestSystem web(int port, String page, String serviceVersion) {
        return TestSystem.of("web-1").etc("motd", "motd " + page + "\n").etc("www/health", "ok " + page + "\n")
                .webService("web", port, serviceVersion).httpCheck("web", port, "/health", "ok " + page);
    }

    private static String get(int port) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    private static String getOrEmpty(int port) {
        try {
            return get(port);
        } catch (Exception e) {
            return "";
        }
    }

    private static long webPid(AgentClient client) throws IOException {
        return client.status().services().stream().filter(s -> s.name().equals("web")).findFirst().orElseThrow()
                .pid().orElseThrow();
    }

    @Test
    void switchServicesDriftTestBootDryActivateAndRollback(@TempDir Path dir) throws Exception {
        int port = freePort();
        try (AgentHost host = new AgentHost(dir.resolve("web-1"))) {
            host.start();
            try (AgentClient client = host.connect()) {
                StorePath v1 = host.deploy(client, web(port, "v1", "1"));
                SwitchResult first = client.switchTo(v1, SwitchMode.SWITCH, SwitchOptions.defaults().withDeploymentId("deploy-1"));
                assertTrue(first.healthy() && first.needsConfirm(), first.message());
                assertEquals(1, client.confirm(first.confirmToken().orElseThrow()).generation());
                assertEquals("ok v1\n", get(port));
                long pid1 = webPid(client);

                // only /etc changes: the service keeps running, untouched
                StorePath v2 = host.deploy(client, web(port, "v2", "1"));
                SwitchResult second = client.switchTo(v2, SwitchMode.SWITCH);   // the old API confirms by itself
                assertTrue(second.healthy() && !second.needsConfirm(), second.message());
                assertTrue(second.message().contains("services: no changes"), second.message());
                assertEquals(pid1, webPid(client));
                assertEquals("ok v2\n", get(port));

                // its definition changes: restarted
                StorePath v3 = host.deploy(client, web(port, "v3", "2"));
                SwitchResult third = client.switchTo(v3, SwitchMode.SWITCH);
                assertTrue(third.message().contains("services: ~web"), third.message());
                long pid3 = webPid(client);
                assertNotEquals(pid1, pid3);
                assertFalse(ProcessHandle.of(pid1).map(ProcessHandle::isAlive).orElse(false));

                // drift: /etc/motd replaced by a hand-edited file
                Path motd = host.root.resolve("etc/motd");
                Files.delete(motd);
                Files.writeString(motd, "edited by hand\n");
                List<DriftEntry> drift = client.drift();
                assertEquals(List.of("motd"), drift.stream().map(DriftEntry::name).toList());
                assertEquals(drift, client.status().drift());

                // dry-activate: says what would change, changes nothing
                StorePath v4 = host.deploy(client, web(port, "v4", "3"));
                SwitchResult dry = client.switchTo(v4, SwitchMode.DRY_ACTIVATE);
                assertTrue(dry.message().contains("~www/health") && dry.message().contains("services: ~web"), dry.message());
                assertEquals("ok v3\n", get(port));
                assertEquals(pid3, webPid(client));

                // test: active now, not the default; the hand edit is kept aside, never lost
                SwitchResult test = client.switchTo(v4, SwitchMode.TEST);
                assertTrue(test.healthy(), test.message());
                assertTrue(test.message().contains("kept aside: motd -> motd.flotilla-backup-"), test.message());
                assertEquals("ok v4\n", get(port));
                assertEquals(3, client.status().defaultGeneration());
                assertEquals(List.of(), client.drift());

                // rollback to the previous generation: v2's files and v2's service definition
                SwitchResult back = client.rollback(OptionalInt.empty());
                assertTrue(back.healthy(), back.message());
                assertEquals(2, back.toGeneration());
                assertEquals("ok v2\n", get(port));
                assertEquals("motd v2\n", host.etc("motd"));

                // boot: the default for the next start, nothing changes now
                SwitchResult boot = client.switchTo(v4, SwitchMode.BOOT, SwitchOptions.defaults().withDeploymentId("deploy-4"));
                assertEquals(4, boot.toGeneration());
                assertEquals("ok v2\n", get(port));

                List<GenerationInfo> generations = client.generationsWithSizes();
                assertEquals(List.of(1, 2, 3, 4), generations.stream().map(GenerationInfo::number).toList());
                assertEquals(Optional.of("deploy-1"), generations.getFirst().deploymentId());
                assertEquals(Optional.of("deploy-4"), generations.getLast().deploymentId());
                assertTrue(generations.stream().allMatch(g -> g.closureSize() > 0), generations.toString());
                assertEquals(List.of(1), client.deleteGenerations(OptionalInt.of(3), Optional.empty(), false).deleted());
            }
            host.kill9();
            host.start();   // the agent activates the default generation (v4) when it starts
            try (AgentClient client = host.connect()) {
                AgentStatus status = client.status();
                assertEquals(4, status.defaultGeneration());
                assertEquals("motd v4\n", host.etc("motd"));
                long deadline = System.currentTimeMillis() + 10_000;
                while (!getOrEmpty(port).equals("ok v4\n") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals("ok v4\n", get(port));
                assertEquals(1, host.serviceProcesses().get("web").size(), "one web server, not two");
            }
        }
    }
}
