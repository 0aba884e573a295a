package dev.flotilla.agent.system;

import dev.flotilla.agent.ServiceStatus;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchOptions;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.service.BuiltinSupervisor;
import dev.flotilla.agent.testing.TestSystems;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class ServicesActivationTest {
    @TempDir
    Path root;

    private SystemSwitcher switcher;

    @BeforeEach
    void setUp() {
        switcher = open();
    }

    private SystemSwitcher open() {
        return SystemSwitcher.forRoot(root, TestSystems.directoryStore(root),
                new SystemActivator(root, new EtcActivator(root), BuiltinSupervisor::new));
    }

    @AfterEach
    void tearDown() throws Exception {
        String empty = TestSystems.system("empty").writeInto(root);
        switcher.switchTo(empty, SwitchMode.SWITCH);
        switcher.close();
    }

    private static Map<String, Object> service(String command, String version, List<String> after) {
        return Map.of("command", command, "environment", Map.of("VERSION", version), "restart", "always", "after", after);
    }

    private OptionalLong pid(String name) {
        return switcher.status().services().stream().filter(s -> s.name().equals(name)).map(ServiceStatus::pid)
                .findFirst().orElse(OptionalLong.empty());
    }

    /** The service's pid once the supervisor reports one; on a loaded machine that can trail the switch a little. */
    private long awaitPid(String name) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (pid(name).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return pid(name).orElseThrow(() -> new AssertionError("service " + name + " reports no pid after 5 s"));
    }

    @Test
    void restartsOnlyWhatChangedInAfterOrder() throws Exception {
        String log = root.resolve("order.log").toString();
        String v1 = TestSystems.system("h").etc("motd", "1")
                .service("db", service("echo db >> " + log + "; exec sleep 300", "1", List.of()))
                .service("web", service("echo web >> " + log + "; exec sleep 300", "1", List.of("db")))
                .writeInto(root);
        SwitchResult first = switcher.switchTo(v1, SwitchMode.SWITCH);
        assertTrue(first.message().contains("services: +db +web"), first.message());
        long db = awaitPid("db");
        long web = awaitPid("web");

        String v2 = TestSystems.system("h").etc("motd", "2")
                .service("db", service("echo db >> " + log + "; exec sleep 300", "1", List.of()))
                .service("web", service("echo web >> " + log + "; exec sleep 300", "2", List.of("db")))
                .writeInto(root);
        SwitchResult second = switcher.switchTo(v2, SwitchMode.SWITCH);
        assertTrue(second.message().contains("services: ~web"), second.message());
        assertEquals(db, awaitPid("db"), "db unchanged, not restarted");
        assertNotEquals(web, awaitPid("web"));

        String v3 = TestSystems.system("h").etc("motd", "3")
                .service("web", service("echo web >> " + log + "; exec sleep 300", "2", List.of()))
                .writeInto(root);
        assertTrue(switcher.switchTo(v3, SwitchMode.SWITCH).message().contains("services: ~web -db"));
        assertFalse(ProcessHandle.of(db).map(ProcessHandle::isAlive).orElse(false), "db stopped");
        Thread.sleep(100);
        assertEquals(List.of("db", "web", "web", "web"), Files.readAllLines(Path.of(log)));
    }

    @Test
    void aNewAgentAdoptsRunningServicesInsteadOfStartingThemAgain() throws Exception {
        String v1 = TestSystems.system("h").service("app", service("exec sleep 300", "1", List.of())).writeInto(root);
        switcher.switchTo(v1, SwitchMode.SWITCH);
        long before = awaitPid("app");
        switcher.close();
        switcher = open();
        assertEquals(before, awaitPid("app"));
        switcher.activateDefault();
        assertEquals(before, pid("app").orElseThrow(), "activation at start does not restart an unchanged service");
    }

    @Test
    void aServiceThatDiesIsRestarted() throws Exception {
        String v1 = TestSystems.system("h").service("app", service("exec sleep 300", "1", List.of())).writeInto(root);
        switcher.switchTo(v1, SwitchMode.SWITCH);
        long first = awaitPid("app");
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        long deadline = System.currentTimeMillis() + 5000;
        OptionalLong now = pid("app");
        while ((now.isEmpty() || now.getAsLong() == first) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            now = pid("app");
        }
        assertNotEquals(first, now.orElseThrow(() -> new AssertionError("app was not restarted within 5 s")));
    }

    @Test
    void aFailingActivationScriptRollsBack() throws Exception {
        String v1 = TestSystems.system("h").etc("motd", "1").activation("prepare", "mkdir -p var/app", 5).writeInto(root);
        assertTrue(switcher.switchTo(v1, SwitchMode.SWITCH).healthy());
        assertTrue(Files.isDirectory(root.resolve("var/app")));
        String bad = TestSystems.system("h").etc("motd", "2").activation("migrate", "echo schema broken; exit 4", 5).writeInto(root);
        SwitchResult r = switcher.switchTo(bad, SwitchMode.SWITCH);
        assertTrue(r.rolledBack());
        assertTrue(r.message().contains("activation script 'migrate' failed: exit 4: schema broken"), r.message());
        assertEquals("1", Files.readString(root.resolve("etc/motd")));
        String slow = TestSystems.system("h").etc("motd", "3").activation("hang", "sleep 30", 1).writeInto(root);
        long t0 = System.nanoTime();
        SwitchResult timedOut = switcher.switchTo(slow, SwitchMode.SWITCH);
        assertTrue(timedOut.rolledBack() && timedOut.message().contains("timed out after 1 s"), timedOut.message());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 10);
    }

    @Test
    void secretsAreWrittenWithTheirModeAndRestoredOnRollback() throws Exception {
        String v1 = TestSystems.system("h").secret("db", "/run/secrets/db", "0440").writeInto(root);
        SwitchOptions once = SwitchOptions.defaults().withConfirmTimeout(Duration.ZERO)
                .withSecrets(Map.of("db", "s3cret-1".getBytes(StandardCharsets.UTF_8)));
        assertTrue(switcher.switchTo(v1, SwitchMode.SWITCH, once, "c").healthy());
        Path file = root.resolve("run/secrets/db");
        assertEquals("s3cret-1", Files.readString(file));
        assertEquals("r--r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        String v2 = TestSystems.system("h").secret("db", "/run/secrets/db", "0400").commandCheck("down", "exit 1").writeInto(root);
        SwitchOptions next = once.withSecrets(Map.of("db", "s3cret-2".getBytes(StandardCharsets.UTF_8)));
        SwitchResult r = switcher.switchTo(v2, SwitchMode.SWITCH, next, "c");
        assertTrue(r.rolledBack());
        assertFalse(r.message().contains("s3cret"));
        assertEquals("s3cret-1", Files.readString(file), "the previous secret is back");
        assertFalse(Files.exists(root.resolve("flotilla/var/secrets-previous/index.json")));
        try (var files = Files.walk(root.resolve("flotilla"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f, StandardCharsets.ISO_8859_1).contains("s3cret"), f + " holds a secret");
            }
        }
    }
}
