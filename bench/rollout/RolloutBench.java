import dev.flotilla.agent.AgentJvm;
import dev.flotilla.cli.Workspace;
import dev.flotilla.store.StoreDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Flotilla half of bench/rollout: starts N simulated agents in one process (`flotilla-agent simulate`, each
 * with its own root, host key and port, served over real SSH), deploys version 1 (untimed), then times
 * `flotilla deploy --parallel P` of a small configuration change, run as a user would run it (a new JVM: start,
 * evaluate and build N systems, copy, switch and confirm every host over a new connection). Checks every host
 * ended on the change, stops the simulator with SIGTERM, and prints flotilla_s=N.
 *
 * Usage: java -cp CLASSPATH RolloutBench.java WORKDIR AGENTS PARALLEL
 */
public final class RolloutBench {
    /** The simulator's JVM: the agent's footprint flags (agent/README.md) with room for N hosts' heaps. */
    static final List<String> SIMULATOR_FLAGS = java.util.stream.Stream.concat(java.util.stream.Stream.of("-Xms64m", "-Xmx256m", "-Xss512k",
            "-XX:+UseSerialGC", "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED"),
            AgentJvm.jit(AgentJvm.directivesFile()).stream()).toList();

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int parallel = Integer.parseInt(args[2]);
        Path state = work.resolve("state");
        Workspace ws = new Workspace(state, new StoreDir("/flotilla/store"));
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        ws.signingKey(quiet);
        ws.identity(null, quiet);
        Path fleetDir = Files.createDirectories(work.resolve("fleet"));
        Path hosts = work.resolve("hosts");
        long t0 = System.nanoTime();
        Process simulator = simulate(work, hosts, n, Path.of(ws.identityFile() + ".pub"), ws.signingPublicKeyFile(),
                fleetDir.resolve("inventory.yaml"));
        try {
            System.out.printf("started %d simulated agents in one process in %.1fs (RSS %d MB)%n", n, (System.nanoTime() - t0) / 1e9,
                    rssMb(simulator));
            config(fleetDir, 100);
            double first = deploy(work, state, fleetDir, parallel);
            System.out.printf("first deploy (untimed baseline, whole systems): %.2fs%n", first);
            config(fleetDir, 200);
            double simCpu = cpuSeconds(simulator);
            double change = deploy(work, state, fleetDir, parallel);
            System.out.printf("cpu during the change: agents %.2fs, deploy JVM %s%n", cpuSeconds(simulator) - simCpu,
                    Files.readAllLines(work.resolve("deploy.time")).getLast());
            for (int i = 1; i <= n; i++) {
                String h = String.format("host-%03d", i);
                Path root = hosts.resolve(h).resolve("root");
                String conf = Files.readString(root.resolve("etc/app/app.conf"));
                if (generation(root) != 2 || !conf.contains("max_connections = 200")) {
                    throw new IllegalStateException(h + " did not end on the change (generation " + generation(root) + ")");
                }
            }
            System.out.printf("simulator RSS after the deploys: %d MB for %d agents%n", rssMb(simulator), n);
            System.out.printf("flotilla_s=%.2f%n", change);
        } finally {
            simulator.destroy();
            if (!simulator.waitFor(30, TimeUnit.SECONDS)) {
                simulator.destroyForcibly();
            }
        }
    }

    /** Starts `flotilla-agent simulate` and waits for its ready line (the inventory is written by then). */
    private static Process simulate(Path work, Path hosts, int n, Path clientKey, Path storeKey, Path inventory) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(SIMULATOR_FLAGS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.flotilla.agent.AgentMain", "simulate",
                "--hosts", String.valueOf(n), "--dir", hosts.toString(), "--authorized-keys", clientKey.toString(),
                "--trusted-key", storeKey.toString(), "--inventory", inventory.toString()));
        Path log = work.resolve("simulator.log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        if (ready == null || !ready.startsWith("flotilla-agent simulating ")) {
            p.destroyForcibly();
            throw new IllegalStateException("the simulator did not start; its log:\n" + Files.readString(log));
        }
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
        return p;
    }

    private static int generation(Path root) throws IOException {
        Path profile = root.resolve("flotilla/var/profiles/system");
        if (!Files.isSymbolicLink(profile)) {
            return 0;
        }
        Matcher m = Pattern.compile("system-(\\d+)-link").matcher(Files.readSymbolicLink(profile).toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** User + system CPU time of a running process (from /proc/PID/stat, in clock ticks of 10 ms). */
    private static double cpuSeconds(Process p) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    private static long rssMb(Process p) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    /** The fleet's one configuration file; only max_connections changes between the two deploys. */
    private static void config(Path fleetDir, int maxConnections) throws IOException {
        Files.writeString(fleetDir.resolve("host.nix"), """
                { host, ... }:
                {
                  environment.etc."app/app.conf".text = ''
                    listen = 0.0.0.0:8080
                    server_name = ${host.name}
                    max_connections = %d
                  '';
                }
                """.formatted(maxConnections));
    }

    private static double deploy(Path work, Path state, Path fleetDir, int parallel) throws Exception {
        // the JVM flags of the `flotilla` launcher; /usr/bin/time reports the deploy's CPU time
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-o", work.resolve("deploy.time").toString(),
                "-f", "%Us user + %Ss system", ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Xss64m", "-XX:+UseSerialGC"));
        // As ./flotilla runs deploy: C1, and C2 for the ciphers and digests only.
        cmd.addAll(AgentJvm.jit(AgentJvm.directivesFile()));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.flotilla.cli.Main",
                "deploy", "--fleet", fleetDir.toString(), "--parallel", String.valueOf(parallel), "--state", state.toString()));
        Path log = work.resolve("deploy.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("flotilla deploy failed (exit " + p.exitValue() + "); its output:\n" + Files.readString(log));
        }
        double s = (System.nanoTime() - t0) / 1e9;
        List<String> lines = Files.readAllLines(log);
        lines.stream().filter(l -> l.contains(" switched, ")).forEach(l -> System.out.println("  " + l));
        return s;
    }
}
