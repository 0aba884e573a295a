package dev.flotilla.e2e.agent;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentStatus;
import dev.flotilla.agent.JournalEntry;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchOptions;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.store.StorePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Magic rollback with real agent processes: no confirmation (the deploying side went away), a
 * partition made by the new configuration itself (it replaces the agent's authorized_keys, so the
 * confirmation's new connection is refused), a partition of the network (the agent in a network namespace whose
 * link goes down after the switch), and an agent killed while a switch awaits confirmation.
 */
@Timeout(60)
class MagicRollbackTest {
    private static final Duration CONFIRM = Duration.ofSeconds(2);

    private static TestSystem system(String version, String authorizedKeys) {
        return TestSystem.of("web-1").etc("motd", version + "\n").etc("flotilla/authorized_keys", authorizedKeys + "\n")
                .service("app", Map.of("command", "exec sleep 600", "environment", Map.of("VERSION", version)));
    }

    @Test
    void rollsBackWhenTheDeployingSideNeverConfirms(@TempDir Path dir) throws Exception {
        try (AgentHost host = new AgentHost(dir.resolve("h"))) {
            host.start();
            String key = host.clientPublicKeyLine();
            SwitchResult pending;
            long switched;
            try (AgentClient client = host.connect()) {
                client.switchTo(host.deploy(client, system("v1", key)), SwitchMode.SWITCH);
                pending = client.switchTo(host.deploy(client, system("v2", key)), SwitchMode.SWITCH,
                        SwitchOptions.defaults().withConfirmTimeout(CONFIRM).withDeploymentId("d-2"));
                switched = System.nanoTime();
                assertTrue(pending.needsConfirm() && pending.healthy(), pending.message());
                assertEquals("v2\n", host.etc("motd"));
            }   // the deploying side goes away without confirming
            long waited = host.awaitEtc("motd", "v1\n", CONFIRM.plusSeconds(5));
            long sinceSwitch = (System.nanoTime() - switched) / 1_000_000;
            assertTrue(sinceSwitch <= CONFIRM.plusSeconds(5).toMillis(), "rolled back " + sinceSwitch + " ms after the switch");
            assertTrue(sinceSwitch >= CONFIRM.toMillis() - 200, "not before the deadline: " + waited + " ms");
            try (AgentClient client = host.connect()) {
                AgentStatus status = client.status();
                assertEquals(1, status.defaultGeneration());
                assertTrue(status.pending().isEmpty());
                JournalEntry rollback = status.lastRollback().orElseThrow();
                assertTrue(rollback.reason().contains("no confirmation"), rollback.reason());
                assertEquals("d-2", rollback.deploymentId().orElseThrow());
                assertEquals("1", Files.readString(host.root.resolve("flotilla/var/services/app.json")).contains("\"VERSION\":\"v1\"") ? "1" : "0",
                        "the service is back on its v1 definition");
                AgentException late = assertThrows(AgentException.class, () -> client.confirm(pending.confirmToken().get()));
                assertEquals(AgentException.Kind.ROLLED_BACK, late.kind(), "a late confirm is never reported as success");
                assertEquals(1, host.serviceProcesses().get("app").size());
            }
        }
    }

    @Test
    void rollsBackWhenTheNetworkCutsTheHostOffAfterASwitch(@TempDir Path dir) throws Exception {
        assumeTrue(NetworkNamespace.available(), "needs root and ip(8) to put the agent in a network namespace");
        try (NetworkNamespace net = NetworkNamespace.create(); AgentHost host = new AgentHost(dir.resolve("h"))) {
            host.runIn(net);
            host.start();
            String keys = host.clientPublicKeyLine();
            try (AgentClient client = host.connect()) {
                assertTrue(client.switchTo(host.deploy(client, system("v1", keys)), SwitchMode.SWITCH).healthy());
                StorePath v2 = host.deploy(client, system("v2", keys));
                long t0 = System.nanoTime();
                SwitchResult r = client.switchTo(v2, SwitchMode.SWITCH, SwitchOptions.defaults().withConfirmTimeout(CONFIRM));
                assertTrue(r.needsConfirm() && r.healthy(), r.message());
                assertEquals("v2\n", host.etc("motd"));

                net.cut();   // the link goes down between the deploying side and the host, connection and all
                host.awaitEtc("motd", "v1\n", CONFIRM.plusSeconds(5));
                long sinceSwitch = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(sinceSwitch <= CONFIRM.plusSeconds(5).toMillis(), "rolled back " + sinceSwitch + " ms after the switch");
                assertThrows(IOException.class, () -> client.confirm(r.confirmToken().orElseThrow()), "a confirmation cannot reach the host");

                net.restore();
                try (AgentClient again = host.connect()) {
                    AgentStatus status = again.status();
                    assertEquals(1, status.defaultGeneration());
                    assertTrue(status.pending().isEmpty());
                    assertTrue(status.lastRollback().orElseThrow().reason().contains("no confirmation"), status.lastRollback().toString());
                }
            }
        }
    }

    @Test
    void rollsBackWhenTheNewConfigurationCutsTheDeployerOff(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("h/root/etc/flotilla/authorized_keys");   // the agent reads its client keys from a managed /etc file
        Files.createDirectories(keys.getParent());
        try (AgentHost host = new AgentHost(dir.resolve("h"), keys)) {
            Files.writeString(keys, host.clientPublicKeyLine() + "\n");
            host.start();
            String good = host.clientPublicKeyLine();
            try (AgentClient client = host.connect()) {
                assertTrue(client.switchTo(host.deploy(client, system("v1", good)), SwitchMode.SWITCH).healthy());
                StorePath lockout = host.deploy(client, system("v2",
                        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKJ0rrWY7ZFw2bHfIYYtt2eWy1oH3zt8oIsZsUNbzcrO somebody-else"));
                long t0 = System.nanoTime();
                SwitchResult r = client.switchTo(lockout, SwitchMode.SWITCH, SwitchOptions.defaults().withConfirmTimeout(CONFIRM));
                assertTrue(r.needsConfirm() && r.healthy(), r.message());
                IOException cutOff = assertThrows(IOException.class, () -> client.confirm(r.confirmToken().orElseThrow()));
                assertTrue(cutOff.getMessage().contains("refused authentication"), cutOff.getMessage());
                host.awaitEtc("motd", "v1\n", CONFIRM.plusSeconds(5));
                assertTrue((System.nanoTime() - t0) / 1_000_000 <= CONFIRM.plusSeconds(5).toMillis());
            }
            try (AgentClient again = host.connect()) {   // the old keys are back: the deployer gets in again
                assertEquals(1, again.status().defaultGeneration());
            }
        }
    }

    @Test
    void anAgentKilledWhileWaitingForConfirmationRollsBackWhenItStarts(@TempDir Path dir) throws Exception {
        try (AgentHost host = new AgentHost(dir.resolve("h"))) {
            host.start();
            String key = host.clientPublicKeyLine();
            SwitchResult pending;
            try (AgentClient client = host.connect()) {
                client.switchTo(host.deploy(client, system("v1", key)), SwitchMode.SWITCH);
                pending = client.switchTo(host.deploy(client, system("v2", key)), SwitchMode.SWITCH,
                        SwitchOptions.defaults().withConfirmTimeout(Duration.ofMinutes(5)));
            }
            host.kill9();
            assertEquals("v2\n", host.etc("motd"));
            host.start();
            assertEquals("v1\n", host.etc("motd"), "rolled back before listening");
            try (AgentClient client = host.connect()) {
                assertEquals(AgentException.Kind.ROLLED_BACK,
                        assertThrows(AgentException.class, () -> client.confirm(pending.confirmToken().get())).kind());
                assertTrue(client.status().lastRollback().orElseThrow().reason().contains("stopped before the switch was confirmed"));
                assertEquals(1, host.serviceProcesses().get("app").size());
            }
        }
    }
}
