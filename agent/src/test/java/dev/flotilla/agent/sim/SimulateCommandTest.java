package dev.flotilla.agent.sim;

import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.agent.client.HostKeyPin;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.store.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code flotilla-agent simulate} as a process: ready line, inventory, every host served, exit 143 on SIGTERM. */
@Timeout(60)
class SimulateCommandTest {
    @TempDir
    Path dir;

    private Process simulate(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                "dev.flotilla.agent.AgentMain", "simulate"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(dir.resolve("simulate.err").toFile()).start();
    }

    @Test
    void startsTheHostsWritesTheInventoryAndStopsOnSigterm() throws Exception {
        KeyPair identity = SshKeys.generate(dir.resolve("id"), "deployer");
        SigningKey.generate("sim-cli-1").publicKey().write(dir.resolve("store.pub"));
        Process p = simulate("--hosts", "3", "--dir", dir.resolve("sim").toString(), "--name-prefix", "web-",
                "--authorized-keys", SshKeys.publicKeyFile(dir.resolve("id")).toString(), "--trusted-key", dir.resolve("store.pub").toString(),
                "--inventory", dir.resolve("fleet/inventory.yaml").toString());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertNotNull(ready, () -> "no ready line; stderr: " + read(dir.resolve("simulate.err")));
            assertEquals("flotilla-agent simulating 3 hosts; inventory " + dir.resolve("fleet/inventory.yaml").toAbsolutePath(), ready);

            String inventory = Files.readString(dir.resolve("fleet/inventory.yaml"));
            Matcher m = Pattern.compile("    (web-\\d+):\\n      address: 127.0.0.1\\n      port: (\\d+)\\n      host_key: \"([^\"]+)\"").matcher(inventory);
            List<Integer> ports = new ArrayList<>();
            while (m.find()) {
                int port = Integer.parseInt(m.group(2));
                ports.add(port);
                try (AgentClient c = AgentClient.connect("127.0.0.1", port, identity, HostKeyPin.ofPublicKeyLine(m.group(3)),
                        Duration.ofSeconds(10))) {
                    assertEquals(0, c.status().defaultGeneration(), m.group(1));
                }
                assertTrue(Files.isDirectory(dir.resolve("sim").resolve(m.group(1)).resolve("root/flotilla/store")), m.group(1) + "'s root");
            }
            assertEquals(3, ports.size(), inventory);

            p.destroy();   // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped");
            assertEquals(143, p.exitValue());
            for (int port : ports) {
                assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "port " + port + " closed");
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        Process p = simulate("--hosts", "0", "--dir", dir.resolve("sim").toString(), "--authorized-keys", "x", "--trusted-key", "y");
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertTrue(p.exitValue() != 0);
        String err = read(dir.resolve("simulate.err"));
        assertTrue(err.contains("--hosts must be 1-"), err);
    }

    @Test
    void helpShowsExamples() throws Exception {
        Process p = simulate("--help");
        String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertTrue(help.contains("--base-port") && help.contains("Examples:") && help.contains("flotilla deploy --fleet"), help);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
