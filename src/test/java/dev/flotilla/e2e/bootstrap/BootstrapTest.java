package dev.flotilla.e2e.bootstrap;

import static dev.flotilla.e2e.CliRun.flotilla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.cli.ExitCodes;
import dev.flotilla.e2e.CliRun;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.InventoryLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla bootstrap} against a real OpenSSH server on loopback: the agent is installed from a
 * real bundle (built once per class with build-bundle.sh: jlink), runs on the bundle's own runtime,
 * its host key is recorded in the inventory, a normal deploy then switches the host, a second bootstrap
 * upgrades in place keeping the key and the generation, and a wrong fingerprint installs nothing.
 */
class BootstrapTest {

    private static Path bundle;
    private final List<Long> agentPids = new ArrayList<>();

    @BeforeAll
    static void buildBundle() throws Exception {
        Assumptions.assumeTrue(OpenSshServer.available(),
                "skipped: OpenSSH server or client missing (/usr/sbin/sshd, ssh, ssh-keyscan, ssh-keygen); install openssh-server");
        Path repo = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(repo.resolve("agent/src/main/dist/build-bundle.sh"))) {
            repo = repo.getParent();
        }
        ProcessBuilder pb = new ProcessBuilder("sh", "agent/src/main/dist/build-bundle.sh").directory(repo.toFile()).redirectErrorStream(true);
        // This test runs inside the Maven build: the script must not wait for the build lock that build holds.
        pb.environment().put("FLOTILLA_BUILD_LOCK_HELD", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().close();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "build-bundle.sh failed:\n" + log);
        String line = log.lines().filter(l -> l.startsWith("tarball: ")).findFirst().orElseThrow(() -> new AssertionError(log));
        bundle = Path.of(line.substring("tarball: ".length()).split(" ")[0]);
    }

    @Test
    void installsRecordsTheHostKeyDeploysAndUpgradesInPlace(@TempDir Path dir) throws Exception {
        try (OpenSshServer sshd = new OpenSshServer(dir.resolve("sshd"))) {
            Path host = dir.resolve("host");
            int agentPort = freePort();
            Path inventory = dir.resolve("inventory.yaml");
            String otherKey = Files.readString(Path.of(sshd.clientKey + ".pub")).strip();
            Files.writeString(inventory, """
                    # the fleet
                    all:
                      hosts:
                        box:   # bootstrapped below
                          address: 127.0.0.1
                          tags: [canary]
                        other: { address: 10.9.9.9, host_key: "%s" }
                    """.formatted(otherKey));
            String before = Files.readString(inventory);

            CliRun first = bootstrap(sshd, host, agentPort, bundle, "--inventory", inventory.toString(), "--name", "box");
            assertEquals(ExitCodes.OK, first.exit(), first.err());
            JsonNode r1 = first.json();
            String agentKey = Files.readString(host.resolve("root/etc/flotilla/ssh_host_ed25519_key.pub")).strip();
            assertEquals(agentKey, r1.get("hostKey").asText());
            assertTrue(r1.get("uploaded").asBoolean());
            assertEquals("detached", r1.get("started").asText());
            assertTrue(first.err().contains("trusting OpenSSH host key " + sshd.fingerprint()), first.err());

            // The agent runs on the bundle's own Java runtime, not on any Java of this machine.
            long pid1 = r1.get("pid").asLong();
            agentPids.add(pid1);
            assertEquals(host.resolve("opt/flotilla-agent/runtime/bin/java"), Path.of("/proc/" + pid1 + "/exe").toRealPath());

            // The inventory has the key and the port; every other line is as it was.
            Host box = InventoryLoader.load(inventory).host("box").orElseThrow();
            assertEquals(Optional.of(agentKey), box.hostKey());
            assertEquals(agentPort, box.port());
            String after = Files.readString(inventory);
            assertTrue(after.contains("    box:   # bootstrapped below\n      address: 127.0.0.1\n      tags: [canary]\n"), after);
            assertTrue(after.startsWith("# the fleet\n"), after);
            assertEquals(before.lines().filter(l -> l.contains("other:")).toList(), after.lines().filter(l -> l.contains("other:")).toList());

            // The normal deploy path reaches the bootstrapped agent and switches it.
            Path config = dir.resolve("host.nix");
            try (InputStream in = BootstrapTest.class.getResourceAsStream("/fleet/host.nix")) {
                Files.copy(in, config);
            }
            CliRun deploy = flotilla("deploy", "-i", inventory.toString(), "-c", config.toString(), "--on", "box", "--state", dir.resolve("state").toString());
            assertEquals(ExitCodes.OK, deploy.exit(), deploy.out() + deploy.err());
            Path profile = host.resolve("root/flotilla/var/profiles/system");
            assertEquals("system-1-link", Files.readSymbolicLink(profile).toString());
            assertTrue(Files.readString(host.resolve("root/etc/motd")).contains("Hello from box"));

            // Again with a changed bundle: upgraded in place, same host key, same generation.
            Path upgraded = repack(bundle, dir.resolve("repack"));
            CliRun second = bootstrap(sshd, host, agentPort, upgraded, "--inventory", inventory.toString(), "--name", "box");
            assertEquals(ExitCodes.OK, second.exit(), second.err());
            JsonNode r2 = second.json();
            agentPids.add(r2.get("pid").asLong());
            assertTrue(r2.get("uploaded").asBoolean());
            assertTrue(r2.get("changed").asText().contains("bundle"), r2.toString());
            assertFalse(r2.get("changed").asText().contains("host-key"), r2.toString());
            assertNotEquals(pid1, r2.get("pid").asLong());
            assertFalse(Files.exists(Path.of("/proc/" + pid1)), "the old agent was stopped");
            assertEquals(agentKey, r2.get("hostKey").asText());
            assertFalse(r2.get("inventoryChanged").asBoolean());
            assertEquals(after, Files.readString(inventory));
            assertTrue(Files.readString(host.resolve("opt/flotilla-agent/VERSION")).contains("upgrade"));
            assertEquals("system-1-link", Files.readSymbolicLink(profile).toString());

            // And once more with nothing to do: nothing sent, the agent left alone.
            CliRun third = bootstrap(sshd, host, agentPort, upgraded);
            assertEquals(ExitCodes.OK, third.exit(), third.err());
            assertFalse(third.json().get("uploaded").asBoolean());
            assertEquals("already-running", third.json().get("started").asText());
            assertEquals(r2.get("pid").asLong(), third.json().get("pid").asLong());
        }
    }

    @Test
    void aWrongFingerprintIsRefusedWithNothingInstalled(@TempDir Path dir) throws Exception {
        try (OpenSshServer sshd = new OpenSshServer(dir.resolve("sshd"))) {
            Path host = dir.resolve("host");
            String wrong = "SHA256:" + "A".repeat(43);
            CliRun run = flotilla("bootstrap", sshd.target(), "--ssh-identity", sshd.clientKey.toString(), "--accept-host-key", wrong,
                    "--no-systemd", "--prefix", host.resolve("opt/flotilla-agent").toString(), "--root", host.resolve("root").toString(),
                    "--bundle", bundle.toString(), "--state", dir.resolve("state").toString(), "--json");
            assertEquals(ExitCodes.FAILED, run.exit(), run.err());
            assertEquals("host-key-mismatch", run.json().get("error").get("code").asText());
            assertTrue(run.err().contains("host key mismatch: the host offers " + sshd.fingerprint()), run.err());
            assertFalse(Files.exists(host), "nothing may be installed");

            CliRun stranger = flotilla("bootstrap", sshd.target(), "--ssh-identity", sshd.hostKey.toString(), "--accept-host-key", sshd.fingerprint(),
                    "--no-systemd", "--prefix", host.resolve("opt/flotilla-agent").toString(), "--root", host.resolve("root").toString(),
                    "--bundle", bundle.toString(), "--state", dir.resolve("state").toString(), "--json");
            assertEquals(ExitCodes.FAILED, stranger.exit(), stranger.err());
            assertEquals("auth-refused", stranger.json().get("error").get("code").asText());
            assertFalse(Files.exists(host), "nothing may be installed");
        }
    }

    @AfterEach
    void stopAgents() {
        // Detached agents outlive the SSH session by design: stop the ones this test made, by pid.
        for (long pid : agentPids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    private CliRun bootstrap(OpenSshServer sshd, Path host, int agentPort, Path bundleFile, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("bootstrap", sshd.target(), "--ssh-identity", sshd.clientKey.toString(),
                "--accept-host-key", sshd.fingerprint(), "--no-systemd",
                "--prefix", host.resolve("opt/flotilla-agent").toString(), "--root", host.resolve("root").toString(),
                "--agent-port", Integer.toString(agentPort), "--agent-bind", "127.0.0.1", "--bundle", bundleFile.toString(),
                "--state", host.getParent().resolve("state").toString(), "--json"));
        args.addAll(List.of(more));
        return flotilla(args.toArray(String[]::new));
    }

    /** The bundle with one more line in its VERSION file: another bundle to the host. */
    private static Path repack(Path tarball, Path dir) throws Exception {
        Files.createDirectories(dir);
        OpenSshServer.run(List.of("tar", "-xzf", tarball.toString(), "-C", dir.toString()));
        Files.writeString(dir.resolve("flotilla-agent/VERSION"), "upgrade\n", java.nio.file.StandardOpenOption.APPEND);
        Path out = dir.resolve("flotilla-agent-0.1.0-upgrade-linux-" + tarball.getFileName().toString().replaceAll(".*-linux-", ""));
        OpenSshServer.run(List.of("tar", "-czf", out.toString(), "-C", dir.toString(), "flotilla-agent"));
        return out;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

}
