package dev.flotilla.agent.sim;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchOptions;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.agent.client.HostKeyPin;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.agent.testing.TestSystems;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.copy.CopyListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Twenty simulated agents in this JVM, driven over real SSH like separate hosts: each must keep its own key, port,
 * root, generations and confirmation deadline. Tests share the fleet and compare with what they saw before.
 */
@Timeout(120)
class FleetSimulatorTest {
    private static final int HOSTS = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static FleetSimulator fleet;
    static LocalStore controller;
    static SigningKey signer;
    static KeyPair identity;
    static int versions;

    @BeforeAll
    static void start() throws Exception {
        controller = new LocalStore(dir.resolve("controller"), StoreDir.DEFAULT);
        signer = SigningKey.generate("sim-test-1");
        signer.publicKey().write(dir.resolve("store.pub"));
        identity = SshKeys.generate(dir.resolve("id"), "deployer");
        fleet = FleetSimulator.start(config(dir.resolve("sim")));
    }

    static SimulatorConfig config(Path simDir) {
        return new SimulatorConfig(HOSTS, simDir, "127.0.0.1", 0, SshKeys.publicKeyFile(dir.resolve("id")),
                List.of(dir.resolve("store.pub")), "host-", StoreDir.DEFAULT, "builtin", 2);
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void everyHostHasItsOwnPortKeyAndRootAndTheInventoryPinsThem() throws Exception {
        List<SimulatedHost> hosts = fleet.hosts();
        assertEquals(HOSTS, hosts.size());
        assertEquals("host-001", hosts.getFirst().name());
        assertEquals("host-020", hosts.getLast().name());
        assertEquals(HOSTS, hosts.stream().map(SimulatedHost::port).distinct().count(), "ports");
        assertEquals(HOSTS, hosts.stream().map(h -> h.hostKeyLine().split(" ")[1]).distinct().count(), "host keys");
        assertEquals(HOSTS, hosts.stream().map(SimulatedHost::root).distinct().count(), "roots");

        String inventory = Files.readString(fleet.writeInventory(dir.resolve("fleet/inventory.yaml")));
        Matcher m = Pattern.compile("    (host-\\d+):\\n      address: 127.0.0.1\\n      port: (\\d+)\\n      host_key: \"([^\"]+)\"\\n")
                .matcher(inventory);
        Map<String, String> seen = new HashMap<>();
        while (m.find()) {
            SimulatedHost h = fleet.host(m.group(1));
            assertEquals(h.port(), Integer.parseInt(m.group(2)), h.name() + "'s port");
            assertEquals(h.hostKeyLine(), m.group(3), h.name() + "'s host key");
            seen.put(m.group(1), m.group(2));
        }
        assertEquals(HOSTS, seen.size(), inventory);

        // the pin is what protects the deployer: another host's key must not be accepted
        SimulatedHost a = hosts.get(0);
        SimulatedHost b = hosts.get(1);
        IOException wrong = assertThrows(IOException.class, () -> AgentClient.connect(a.address(), a.port(), identity,
                HostKeyPin.ofPublicKeyLine(b.hostKeyLine()), TIMEOUT).close());
        assertTrue(wrong.getMessage().contains("does not match the pinned key"), wrong.getMessage());
    }

    @Test
    void aDeployToEveryHostSwitchesEachOnItsOwnAndAFailingCheckRollsBackOnlyThatHost() throws Exception {
        Map<String, Integer> before = generations();
        String v = "v" + (++versions);
        Map<String, SwitchResult> first = deployEverywhere(v, Set.of());
        for (SimulatedHost h : fleet.hosts()) {
            assertTrue(first.get(h.name()).healthy() && !first.get(h.name()).rolledBack(), h.name() + ": " + first.get(h.name()).message());
            assertTrue(generation(h) > before.get(h.name()), h.name() + " is on a new generation");
            assertEquals(first.get(h.name()).toGeneration(), generation(h), h.name() + "'s generation");
            assertEquals(v + " on " + h.name() + "\n", Files.readString(h.root().resolve("etc/motd")), h.name() + "'s /etc/motd");
        }

        String broken = "host-007";
        String w = "v" + (++versions);
        Map<String, SwitchResult> second = deployEverywhere(w, Set.of(broken));
        assertTrue(second.get(broken).rolledBack(), second.get(broken).message());
        assertTrue(second.get(broken).message().contains("health check 'motd' failed"), second.get(broken).message());
        SimulatedHost b = fleet.host(broken);
        assertEquals(first.get(broken).toGeneration(), generation(b), "the broken host is back on its previous generation");
        assertEquals(v + " on " + broken + "\n", Files.readString(b.root().resolve("etc/motd")), "and its /etc with it");
        for (SimulatedHost h : fleet.hosts()) {
            if (!h.name().equals(broken)) {
                assertFalse(second.get(h.name()).rolledBack(), h.name() + ": " + second.get(h.name()).message());
                assertTrue(generation(h) > first.get(h.name()).toGeneration(), h.name() + " kept the new generation");
                assertEquals(w + " on " + h.name() + "\n", Files.readString(h.root().resolve("etc/motd")), h.name());
            }
        }
    }

    @Test
    void aMissingConfirmationRollsBackOnlyThatHost() throws Exception {
        SimulatedHost silent = fleet.host("host-013");
        SimulatedHost confirmed = fleet.host("host-014");
        int silentBefore = generation(silent);
        int confirmedBefore = generation(confirmed);
        String v = "v" + (++versions);
        SwitchOptions shortWait = SwitchOptions.defaults().withConfirmTimeout(Duration.ofSeconds(2));
        SwitchResult unconfirmed;
        try (AgentClient c = connect(silent)) {
            StorePath top = build(silent.name(), v, false);
            c.copyClosure(controller, List.of(top), CopyListener.NONE);
            unconfirmed = c.switchTo(top, SwitchMode.SWITCH, shortWait);
        }
        try (AgentClient c = connect(confirmed)) {
            StorePath top = build(confirmed.name(), v, false);
            c.copyClosure(controller, List.of(top), CopyListener.NONE);
            c.confirm(c.switchTo(top, SwitchMode.SWITCH, shortWait));
        }
        assertTrue(unconfirmed.needsConfirm());
        assertEquals(silentBefore + 1, generation(silent), "switched, awaiting its confirmation");
        long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (generation(silent) != silentBefore && System.nanoTime() < giveUp) {
            Thread.sleep(100);
        }
        assertEquals(silentBefore, generation(silent), "no confirmation: the host rolled itself back");
        assertEquals(confirmedBefore + 1, generation(confirmed), "its neighbour confirmed and stays");
        try (AgentClient c = connect(silent)) {
            AgentException late = assertThrows(AgentException.class, () -> c.confirm(unconfirmed.confirmToken().orElseThrow()));
            assertEquals(AgentException.Kind.ROLLED_BACK, late.kind());
        }
        assertTrue(Files.readString(silent.root().resolve("flotilla/var/journal.jsonl")).contains("magic rollback"));
        assertFalse(Files.readString(confirmed.root().resolve("flotilla/var/journal.jsonl")).contains("magic rollback"));
    }

    @Test
    void aStoppedHostIsUnreachableWhileTheOthersServe() throws Exception {
        try (FleetSimulator small = FleetSimulator.start(new SimulatorConfig(3, dir.resolve("small"), "127.0.0.1", 0,
                SshKeys.publicKeyFile(dir.resolve("id")), List.of(dir.resolve("store.pub")), "db-", StoreDir.DEFAULT, "builtin", 1))) {
            SimulatedHost gone = small.host("db-002");
            small.stop("db-002");
            assertThrows(IOException.class, () -> connect(gone).close());
            for (String name : List.of("db-001", "db-003")) {
                try (AgentClient c = connect(small.host(name))) {
                    assertEquals(0, c.status().defaultGeneration());
                }
            }
            assertEquals(List.of("db-001", "db-003"), small.hosts().stream().map(SimulatedHost::name).toList());
        }
    }

    @Test
    void aRestartKeepsEachHostsKeyAndGeneration() throws Exception {
        Path simDir = dir.resolve("restart");
        SimulatorConfig two = new SimulatorConfig(2, simDir, "127.0.0.1", 0, SshKeys.publicKeyFile(dir.resolve("id")),
                List.of(dir.resolve("store.pub")), "app-", StoreDir.DEFAULT, "builtin", 1);
        String keyBefore;
        try (FleetSimulator first = FleetSimulator.start(two)) {
            SimulatedHost h = first.host("app-001");
            keyBefore = h.hostKeyLine();
            try (AgentClient c = connect(h)) {
                StorePath top = build(h.name(), "r1", false);
                c.copyClosure(controller, List.of(top), CopyListener.NONE);
                assertTrue(c.switchTo(top, SwitchMode.SWITCH).healthy());
            }
        }
        try (FleetSimulator again = FleetSimulator.start(two)) {
            SimulatedHost h = again.host("app-001");
            assertEquals(keyBefore, h.hostKeyLine());
            assertEquals(1, generation(h));
            assertNotEquals(h.hostKeyLine(), again.host("app-002").hostKeyLine());
            try (AgentClient c = connect(h)) {
                assertEquals(1, c.status().defaultGeneration());
            }
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheOption() {
        Path keys = SshKeys.publicKeyFile(dir.resolve("id"));
        List<Path> trusted = List.of(dir.resolve("store.pub"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () ->
                new SimulatorConfig(0, dir, "127.0.0.1", 0, keys, trusted, "host-", StoreDir.DEFAULT, "builtin", 1));
        assertTrue(none.getMessage().contains("--hosts"), none.getMessage());
        IllegalArgumentException ports = assertThrows(IllegalArgumentException.class, () ->
                new SimulatorConfig(100, dir, "127.0.0.1", 65500, keys, trusted, "host-", StoreDir.DEFAULT, "builtin", 1));
        assertTrue(ports.getMessage().contains("--base-port"), ports.getMessage());
        IllegalArgumentException prefix = assertThrows(IllegalArgumentException.class, () ->
                new SimulatorConfig(1, dir, "127.0.0.1", 0, keys, trusted, "web 1", StoreDir.DEFAULT, "builtin", 1));
        assertTrue(prefix.getMessage().contains("--name-prefix"), prefix.getMessage());
        IOException missing = assertThrows(IOException.class, () -> FleetSimulator.start(new SimulatorConfig(1, dir.resolve("x"),
                "127.0.0.1", 0, dir.resolve("nope.pub"), trusted, "host-", StoreDir.DEFAULT, "builtin", 1)));
        assertTrue(missing.getMessage().contains("nope.pub"), missing.getMessage());
    }

    /** Copies and switches (confirming over a new connection) every host at once, 10 at a time. */
    private static Map<String, SwitchResult> deployEverywhere(String version, Set<String> broken) throws Exception {
        Map<String, SwitchResult> results = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<?>> running = fleet.hosts().stream().map(h -> pool.submit(() -> {
                StorePath top = build(h.name(), version, broken.contains(h.name()));
                try (AgentClient c = connect(h)) {
                    c.copyClosure(controller, List.of(top), CopyListener.NONE);
                    results.put(h.name(), c.switchTo(top, SwitchMode.SWITCH));
                }
                return null;
            })).<Future<?>>map(f -> f).toList();
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return results;
    }

    private static synchronized StorePath build(String host, String version, boolean broken) throws IOException {
        Path tree = TestSystems.system(host).etc("motd", version + " on " + host + "\n")
                .commandCheck("motd", broken ? "echo broken on purpose >&2; exit 1" : "grep -q '" + host + "' etc/motd")
                .writeTree(Files.createTempDirectory(dir, "build"));
        return controller.addTree(tree, "flotilla-system-" + host, Set.of(), signer).path();
    }

    private static AgentClient connect(SimulatedHost h) throws IOException {
        return AgentClient.connect(h.address(), h.port(), identity, HostKeyPin.ofPublicKeyLine(h.hostKeyLine()), TIMEOUT);
    }

    private static Map<String, Integer> generations() throws IOException {
        Map<String, Integer> out = new HashMap<>();
        for (SimulatedHost h : fleet.hosts()) {
            out.put(h.name(), generation(h));
        }
        return out;
    }

    /** What the host's system profile points at (0 before the first switch). */
    static int generation(SimulatedHost h) throws IOException {
        Path profile = h.root().resolve("flotilla/var/profiles/system");
        if (!Files.isSymbolicLink(profile)) {
            return 0;
        }
        Matcher m = Pattern.compile("system-(\\d+)-link").matcher(Files.readSymbolicLink(profile).toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

}
