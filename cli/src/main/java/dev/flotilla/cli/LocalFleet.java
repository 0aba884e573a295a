package dev.flotilla.cli;

import dev.flotilla.agent.AgentJvm;
import dev.flotilla.agent.client.SshKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fleet of real agent processes on this machine: each with its own root directory, host key and
 * loopback port, all trusting one client key and one store signing key. Used by the demo and the
 * end-to-end tests; {@link #close()} stops every process it started.
 */
public final class LocalFleet implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("flotilla-agent ready on (\\S+):(\\d+)");

    /** One running agent. {@code hostKey} is its public host key line, for pinning. */
    public record Agent(String name, Path root, int port, String hostKey, Process process, Path log) {}

    private final Map<String, Agent> agents = new LinkedHashMap<>();

    private LocalFleet() {}

    /**
     * Starts one agent per name under {@code dir/<name>}, in parallel, and waits until each listens.
     *
     * @param clientPublicKey  OpenSSH public key file the agents authorize
     * @param trustedStoreKey  Nix-format public store key file the agents trust
     */
    public static LocalFleet start(Path dir, List<String> names, Path clientPublicKey, Path trustedStoreKey) throws IOException {
        LocalFleet fleet = new LocalFleet();
        List<CompletableFuture<Agent>> starting = new ArrayList<>();
        try {
            for (String name : names) {
                Path home = dir.resolve(name);
                Files.createDirectories(home.resolve("root"));
                Path hostKey = home.resolve("ssh_host_ed25519_key");
                if (!Files.exists(hostKey)) {
                    SshKeys.generate(hostKey, "flotilla-agent@" + name);
                }
                Path authorized = home.resolve("authorized_keys");
                Files.copy(clientPublicKey, authorized, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                starting.add(CompletableFuture.supplyAsync(() -> launch(name, home, hostKey, authorized, trustedStoreKey)));
            }
            for (CompletableFuture<Agent> f : starting) {
                Agent a = f.join();
                fleet.agents.put(a.name(), a);
            }
            return fleet;
        } catch (RuntimeException e) {
            for (CompletableFuture<Agent> f : starting) {
                f.thenAccept(a -> a.process().destroyForcibly());
            }
            fleet.close();
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new IOException("could not start the local agents: " + cause.getMessage(), cause);
        }
    }

    private static Agent launch(String name, Path home, Path hostKey, Path authorized, Path trustedStoreKey) {
        Path log = home.resolve("agent.log");
        List<String> cmd = new ArrayList<>(List.of(javaBinary()));
        // The shipped launcher's flags, without its class-data archive.
        cmd.addAll(AgentJvm.flags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "dev.flotilla.agent.AgentMain", "run",
                "--root", home.resolve("root").toString(),
                "--listen", "127.0.0.1:0",
                "--host-key", hostKey.toString(),
                "--authorized-keys", authorized.toString(),
                "--trusted-key", trustedStoreKey.toString()));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = stdout.readLine()) != null) {
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    // Keep draining stdout so the agent never blocks on a full pipe.
                    Thread.ofVirtual().start(() -> stdout.lines().forEach(l -> {}));
                    String hostKeyLine = Files.readString(Path.of(hostKey + ".pub")).trim();
                    return new Agent(name, home.resolve("root"), Integer.parseInt(m.group(2)), hostKeyLine, p, log);
                }
            }
            p.waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException("agent " + name + " exited before listening; its log " + log + " says:\n"
                    + tail(log));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting agent " + name, e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public Agent agent(String name) {
        Agent a = agents.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no agent named " + name);
        }
        return a;
    }

    public List<Agent> agents() {
        return List.copyOf(agents.values());
    }

    /**
     * Writes an inventory for these agents. {@code vars} holds extra per-host variables; {@code tags}
     * per-host tags.
     */
    public void writeInventory(Path file, Map<String, Map<String, Object>> vars, Map<String, List<String>> tags) throws IOException {
        StringBuilder y = new StringBuilder("all:\n  hosts:\n");
        for (Agent a : agents.values()) {
            y.append("    ").append(a.name()).append(":\n");
            y.append("      address: 127.0.0.1\n");
            y.append("      port: ").append(a.port()).append('\n');
            y.append("      host_key: \"").append(a.hostKey()).append("\"\n");
            List<String> t = tags.getOrDefault(a.name(), List.of());
            if (!t.isEmpty()) {
                y.append("      tags: [").append(String.join(", ", t)).append("]\n");
            }
            vars.getOrDefault(a.name(), Map.of()).forEach((k, v) ->
                    y.append("      ").append(k).append(": ").append(v instanceof String s ? "\"" + s + "\"" : v).append('\n'));
        }
        Files.writeString(file, y.toString());
    }

    /** The generation the host's {@code system} profile points at, or 0 before the first switch. */
    public int currentGeneration(String name) throws IOException {
        Path profile = agent(name).root().resolve("flotilla/var/profiles/system");
        if (!Files.isSymbolicLink(profile)) {
            return 0;
        }
        Matcher m = Pattern.compile("system-(\\d+)-link").matcher(Files.readSymbolicLink(profile).toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The content of {@code /etc/<file>} as the host sees it now, if present. */
    public Optional<String> etc(String name, String file) throws IOException {
        Path p = agent(name).root().resolve("etc").resolve(file);
        return Files.exists(p) ? Optional.of(Files.readString(p)) : Optional.empty();
    }

    @Override
    public void close() {
        for (Agent a : agents.values()) {
            a.process().destroy();
        }
        for (Agent a : agents.values()) {
            try {
                if (!a.process().waitFor(5, TimeUnit.SECONDS)) {
                    a.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                a.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
