package dev.flotilla.agent.system;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.ConfirmResult;
import dev.flotilla.agent.JournalEntry;
import dev.flotilla.agent.ServiceStatus;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchOptions;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.profile.Profile;
import dev.flotilla.agent.service.BuiltinSupervisor;
import dev.flotilla.agent.state.PendingSwitch;
import dev.flotilla.agent.testing.TestSystems;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class MagicRollbackTest {
    @TempDir
    Path root;

    private SystemSwitcher switcher;
    private String v1;
    private String v2;

    private static Map<String, Object> sleeper(String version) {
        return Map.of("command", "exec sleep 300", "environment", Map.of("VERSION", version), "restart", "always");
    }

    @BeforeEach
    void setUp() throws Exception {
        switcher = open();
        v1 = TestSystems.system("web-1").etc("motd", "v1\n").service("app", sleeper("1")).writeInto(root);
        v2 = TestSystems.system("web-1").etc("motd", "v2\n").etc("new", "n\n").service("app", sleeper("2"))
                .service("extra", sleeper("x")).writeInto(root);
        switcher.switchTo(v1, SwitchMode.SWITCH);
    }

    private SystemSwitcher open() {
        return SystemSwitcher.forRoot(root, TestSystems.directoryStore(root),
                new SystemActivator(root, new EtcActivator(root), BuiltinSupervisor::new));
    }

    @AfterEach
    void tearDown() {
        switcher.activator().activate(v1, Manifest.EMPTY, Map.of(), "test");  // stops every service
        switcher.close();
    }

    private static SwitchOptions waitFor(long millis) {
        return SwitchOptions.defaults().withConfirmTimeout(Duration.ofMillis(millis)).withDeploymentId("d-7");
    }

    private String motd() throws Exception {
        return Files.readString(root.resolve("etc/motd"));
    }

    private String appVersion() {
        return switcher.status().services().stream().filter(s -> s.name().equals("app")).map(ServiceStatus::hash)
                .findFirst().orElseThrow();
    }

    @Test
    void rollsBackProfileEtcAndServicesWhenNoConfirmationArrives() throws Exception {
        String v1Hash = appVersion();
        SwitchResult r = switcher.switchTo(v2, SwitchMode.SWITCH, waitFor(300), "conn-a");
        assertTrue(r.needsConfirm() && r.healthy() && !r.rolledBack(), r.message());
        assertEquals("v2\n", motd());
        assertEquals(2, switcher.status().services().size());
        assertTrue(switcher.status().pending().isPresent());

        long deadline = System.currentTimeMillis() + 5000;
        while (switcher.status().pending().isPresent() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("v1\n", motd());
        assertEquals(1, Profile.system(root).currentNumber().getAsInt());
        assertFalse(Files.exists(root.resolve("etc/new")));
        List<ServiceStatus> services = switcher.status().services();
        assertEquals(List.of("app"), services.stream().map(ServiceStatus::name).toList(), "extra stopped");
        assertEquals(v1Hash, appVersion(), "app back on its v1 definition");
        assertEquals("running", services.getFirst().state());
        JournalEntry last = switcher.status().lastRollback().orElseThrow();
        assertTrue(last.reason().contains("no confirmation"), last.reason());
        assertEquals(Optional.of("d-7"), last.deploymentId());

        AgentException late = assertThrows(AgentException.class, () -> switcher.confirm(r.confirmToken().get(), "conn-b"));
        assertEquals(AgentException.Kind.ROLLED_BACK, late.kind(), "a late confirmation is never a success");
    }

    @Test
    void aConfirmedSwitchStaysPastTheDeadline() throws Exception {
        SwitchResult r = switcher.switchTo(v2, SwitchMode.SWITCH, waitFor(300), "conn-a");
        ConfirmResult c = switcher.confirm(r.confirmToken().orElseThrow(), "conn-b");
        assertEquals(2, c.generation());
        Thread.sleep(600);
        assertEquals("v2\n", motd());
        assertEquals(2, Profile.system(root).currentNumber().getAsInt());
        assertTrue(switcher.status().lastRollback().isEmpty());
        assertEquals("already confirmed", switcher.confirm(r.confirmToken().get(), "conn-c").message());
        assertTrue(switcher.status().generations().getLast().deploymentId().equals(Optional.of("d-7")));
    }

    @Test
    void confirmMustComeOverANewConnection() {
        SwitchResult r = switcher.switchTo(v2, SwitchMode.SWITCH, waitFor(10_000), "conn-a");
        AgentException same = assertThrows(AgentException.class, () -> switcher.confirm(r.confirmToken().get(), "conn-a"));
        assertEquals(AgentException.Kind.BAD_REQUEST, same.kind());
        AgentException busy = assertThrows(AgentException.class, () -> switcher.switchTo(v1, SwitchMode.SWITCH, waitFor(1000), "conn-c"));
        assertEquals(AgentException.Kind.BUSY, busy.kind());
        assertEquals(2, switcher.confirm(r.confirmToken().get(), "conn-b").generation());
    }

    @Test
    void testModeRollsBackToWhatWasActive() throws Exception {
        SwitchResult r = switcher.switchTo(v2, SwitchMode.TEST, waitFor(200), "conn-a");
        assertTrue(r.needsConfirm());
        assertEquals(1, Profile.system(root).currentNumber().getAsInt());
        Thread.sleep(800);
        assertEquals("v1\n", motd());
        assertEquals(Optional.of(v1), switcher.status().activeSystem());
    }

    @Test
    void aSwitchLeftPendingByADeadAgentIsRolledBackAtStart() throws Exception {
        SwitchResult r = switcher.switchTo(v2, SwitchMode.SWITCH, waitFor(60_000), "conn-a");
        switcher.close();
        // what the file says after the owner died: rewrite it with a pid that cannot be alive
        Path file = root.resolve("flotilla/var/pending.json");
        PendingSwitch p = PendingSwitch.read(file).orElseThrow();
        new PendingSwitch(p.token(), p.mode(), p.fromGeneration(), p.toGeneration(), p.toplevel(), p.previousActive(),
                p.setsDefault(), p.deadline(), p.deploymentId(), p.connection(), Long.MAX_VALUE / 2, Instant.EPOCH).write(file);

        switcher = open();
        JournalEntry rolledBack = switcher.recover().orElseThrow();
        assertTrue(rolledBack.reason().contains("stopped before the switch was confirmed"), rolledBack.reason());
        assertEquals("v1\n", motd());
        assertEquals(1, Profile.system(root).currentNumber().getAsInt());
        assertEquals(AgentException.Kind.ROLLED_BACK,
                assertThrows(AgentException.class, () -> switcher.confirm(r.confirmToken().get(), "conn-b")).kind());
    }

    @Test
    void explicitRollbackCancelsAPendingSwitch() throws Exception {
        switcher.switchTo(v2, SwitchMode.SWITCH, waitFor(60_000), "conn-a");
        SwitchResult back = switcher.rollback(java.util.OptionalInt.empty());
        assertTrue(back.rolledBack());
        assertEquals("v1\n", motd());
        assertTrue(switcher.status().pending().isEmpty());
    }
}
