import dev.flotilla.cli.LocalFleet;
import dev.flotilla.cli.Workspace;
import dev.flotilla.store.StoreDir;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Flotilla half of bench/rollout: starts N real agent processes, deploys version 1 (untimed), then times
 * `flotilla deploy --parallel P` of a small configuration change, run as a user would run it (a new JVM:
 * start, evaluate and build N systems, copy, switch and confirm every host). Checks every host ended on the
 * change, stops the agents, and prints flotilla_s=N.
 *
 * Usage: java -cp CLASSPATH RolloutBench.java WORKDIR AGENTS PARALLEL
 */
public final class RolloutBench {

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int parallel = Integer.parseInt(args[2]);
        Path state = work.resolve("state");
        Workspace ws = new Workspace(state, new StoreDir("/flotilla/store"));
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        ws.signingKey(quiet);
        ws.identity(null, quiet);
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add(String.format("host-%03d", i));
        }
        long t0 = System.nanoTime();
        try (LocalFleet fleet = LocalFleet.start(work.resolve("hosts"), names, Path.of(ws.identityFile() + ".pub"), ws.signingPublicKeyFile())) {
            System.out.printf("started %d agents in %.1fs%n", n, (System.nanoTime() - t0) / 1e9);
            Path fleetDir = Files.createDirectories(work.resolve("fleet"));
            fleet.writeInventory(fleetDir.resolve("inventory.yaml"), Map.of(), Map.of());
            config(fleetDir, 100);
            double first = deploy(work, state, fleetDir, parallel);
            System.out.printf("first deploy (untimed baseline, whole systems): %.2fs%n", first);
            config(fleetDir, 200);
            double change = deploy(work, state, fleetDir, parallel);
            for (String h : names) {
                if (fleet.currentGeneration(h) != 2 || !fleet.etc(h, "app/app.conf").orElse("").contains("max_connections = 200")) {
                    throw new IllegalStateException(h + " did not end on the change (generation " + fleet.currentGeneration(h) + ")");
                }
            }
            System.out.printf("flotilla_s=%.2f%n", change);
        }
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
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.flotilla.cli.Main",
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
