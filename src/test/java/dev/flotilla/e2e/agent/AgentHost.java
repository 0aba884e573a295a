package dev.flotilla.e2e.agent;

import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.agent.client.HostKeyPin;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StorePath;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One real agent process (its own root, host key and port) plus the deploying side that talks to it
 * (a store, a signing key, a client key). The agent can be killed with SIGKILL and started again on
 * the same root; {@link #close()} stops it and every service process it left behind.
 */
public final class AgentHost implements AutoCloseable {
    /** The agent JVM flags these tests run with (the README's recommended set, minus the CDS archive path). */
    static final List<String> JVM_FLAGS = dev.flotilla.agent.AgentJvm.flags();
    private static final Pattern READY = Pattern.compile("flotilla-agent ready on (\\S+):(\\d+)");
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** A class-data archive of the agent's classes, made at the first clean agent exit (JDK 19+), for quick starts. */
    private static final Path ARCHIVE = Path.of(System.getProperty("java.io.tmpdir"),
            "flotilla-agent-e2e-" + Integer.toHexString(jarClassPath().hashCode()) + ".jsa");

    final Path dir;
    public final Path root;
    public final LocalStore store;
    public final SigningKey signer;
    final KeyPair identity;
    private final Path hostKey;
    private final Path authorizedKeys;
    private final Path trustedKey;
    private final Path log;
    private Process process;
    private int port;
    private int builds;
    /** Where the agent runs: this machine's loopback, or a network namespace and its address there. */
    private NetworkNamespace netns;
    private String address = "127.0.0.1";

    public AgentHost(Path dir) throws IOException {
        this(dir, null);
    }

    /** @param authorizedKeys the file the agent reads client keys from (null: its own file holding the test's key) */
    AgentHost(Path dir, Path authorizedKeys) throws IOException {
        this.dir = dir;
        this.root = Files.createDirectories(dir.resolve("root"));
        this.store = new LocalStore(dir.resolve("controller"), StoreDir.DEFAULT);
        this.signer = SigningKey.generate("e2e-agent-1");
        this.trustedKey = dir.resolve("store-key.pub");
        signer.publicKey().write(trustedKey);
        this.identity = SshKeys.generate(dir.resolve("id"), "deployer");
        this.hostKey = dir.resolve("ssh_host_ed25519_key");
        SshKeys.generate(hostKey, "agent");
        this.authorizedKeys = authorizedKeys != null ? authorizedKeys : dir.resolve("authorized_keys");
        if (authorizedKeys == null) {
            Files.copy(SshKeys.publicKeyFile(dir.resolve("id")), this.authorizedKeys);
        }
        this.log = dir.resolve("agent.log");
    }

    String clientPublicKeyLine() throws IOException {
        return Files.readString(SshKeys.publicKeyFile(dir.resolve("id"))).strip();
    }

    /** From now on, starts the agent inside {@code namespace}, listening on its address there. */
    void runIn(NetworkNamespace namespace) {
        this.netns = namespace;
        this.address = namespace.innerAddress();
    }

    /** Starts the agent and waits for its ready line; returns the milliseconds that took. */
    public long start() throws IOException {
        long t0 = System.nanoTime();
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns.name()));   // execs the JVM: the process is the agent
        }
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(List.of("-XX:SharedArchiveFile=" + ARCHIVE, "-XX:+AutoCreateSharedArchive",
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-cp", jarClassPath(), "dev.flotilla.agent.AgentMain", "run", "--root", root.toString(),
                "--listen", address + ":0", "--host-key", hostKey.toString(), "--authorized-keys", authorizedKeys.toString(),
                "--trusted-key", trustedKey.toString(), "--services", "builtin"));
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = READY.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(2));
                Thread.ofVirtual().start(() -> {
                        try {
                            out.lines().forEach(l -> { });
                        } catch (java.io.UncheckedIOException closed) {
                            // the agent stopped
                        }
                    });
                return (System.nanoTime() - t0) / 1_000_000;
            }
        }
        throw new IOException("agent exited before listening; " + log + " says:\n" + tail());
    }

    /** The test JVM's class path, jars only (the agent's classes come from its installed jar; CDS wants jars). */
    private static String jarClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(p -> p.endsWith(".jar")).collect(Collectors.joining(java.io.File.pathSeparator));
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** SIGTERM, and wait: a clean stop (services keep running). */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGKILL, as a power cut would. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public AgentClient connect() throws IOException {
        return AgentClient.connect(address, port, identity, HostKeyPin.ofPublicKeyFile(SshKeys.publicKeyFile(hostKey)), TIMEOUT);
    }

    /** Builds {@code system} into the deploying side's store (signed) and copies its closure to the agent. */
    StorePath deploy(AgentClient client, TestSystem system) throws IOException {
        Path tree = system.writeTree(Files.createDirectories(dir.resolve("builds").resolve(String.valueOf(builds++))));
        PathInfo info = store.addTree(tree, "flotilla-system-" + system.host(), Set.of(), signer);
        client.copyClosure(store, List.of(info.path()), null);
        return info.path();
    }

    String etc(String name) throws IOException {
        return Files.readString(root.resolve("etc").resolve(name));
    }

    /**
     * Polls this host's disk (not the agent) until /etc/{@code name} says {@code expected} and no switch is
     * pending; returns the wait in ms.
     */
    long awaitEtc(String name, String expected, Duration limit) throws Exception {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < limit.toNanos()) {
            try {
                if (etc(name).equals(expected) && !Files.exists(root.resolve("flotilla/var/pending.json"))) {
                    return (System.nanoTime() - t0) / 1_000_000;
                }
            } catch (IOException ignored) {
                // between two renames
            }
            Thread.sleep(20);
        }
        throw new AssertionError("/etc/" + name + " did not become '" + expected.strip() + "' within " + limit + "; agent log:\n" + tail());
    }

    /** PIDs of the processes running with this root's service marker, by service name. */
    java.util.Map<String, List<Long>> serviceProcesses() {
        String prefix = "FLOTILLA_SERVICE=" + root.toAbsolutePath().normalize() + "|";
        java.util.Map<String, List<Long>> out = new java.util.TreeMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    for (String var : new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8).split("\0")) {
                        if (var.startsWith(prefix)) {
                            String rest = var.substring(prefix.length());
                            long pid = Long.parseLong(p.getFileName().toString());
                            boolean topmost = ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                                    .map(parent -> !hasMarker(parent.pid(), var)).orElse(true);
                            if (topmost) {
                                out.computeIfAbsent(rest.substring(0, rest.lastIndexOf('|')), k -> new ArrayList<>()).add(pid);
                            }
                        }
                    }
                } catch (IOException | RuntimeException ignored) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static boolean hasMarker(long pid, String marker) {
        try {
            return Arrays.asList(new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ")),
                    StandardCharsets.UTF_8).split("\0")).contains(marker);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        for (List<Long> pids : serviceProcesses().values()) {
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(h -> {
                    h.descendants().forEach(ProcessHandle::destroyForcibly);
                    h.destroyForcibly();
                });
            }
        }
    }
}
