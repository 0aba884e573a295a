package dev.flotilla.cli;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.NixFileSource;
import dev.flotilla.deploy.RolloutReport;
import dev.flotilla.deploy.Rollouts;
import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.eval.EvalOptions;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.inventory.InventoryLoader;
import dev.flotilla.store.StoreDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Show Flotilla end to end on this machine: start 5 real agents (separate processes, each with",
            "its own root directory, SSH host key and loopback port), deploy a fleet configuration to them,",
            "then deploy a change that breaks one host's health check and watch that host roll back while",
            "the others move on. Stops everything it started; exits 0 only if all of it behaved."
        },
        footer = {"", "Examples:", "  ./flotilla demo", "  ./flotilla demo --keep --dir /tmp/flotilla-demo   # look around afterwards"})
final class DemoCommand implements Callable<Integer> {

    static final List<String> HOSTS = List.of("web-1", "web-2", "web-3", "web-4", "db-1");
    static final String BROKEN = "web-3";

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to put the agents' roots, keys and the fleet (default: a new temporary directory).")
    Path dir;

    @Option(names = "--keep", description = "Keep the directory afterwards (it is deleted by default).")
    boolean keep;

    private PrintStream out;
    private final List<String> problems = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        out = System.out;
        long start = System.nanoTime();
        Path base = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("flotilla-demo-");
        try {
            run(base);
        } finally {
            if (!keep) {
                deleteTree(base);
            }
        }
        out.printf("%nTook %.1fs. %s%n", (System.nanoTime() - start) / 1e9,
                keep ? "Everything is kept in " + base : "Its temporary directory is removed (use --keep to look around).");
        if (!problems.isEmpty()) {
            out.println("\nDEMO FAILED: the fleet did not behave as described:");
            problems.forEach(p -> out.println("  - " + p));
            return ExitCodes.FAILED;
        }
        out.println("Demo passed: every host did what the story says.");
        return ExitCodes.OK;
    }

    private void run(Path base) throws Exception {
        out.println("Flotilla demo: a fleet of " + HOSTS.size() + " hosts on this machine, in " + base);
        Workspace ws = new Workspace(base.resolve("controller"), new StoreDir("/flotilla/store"));
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        var signer = ws.signingKey(quiet);
        var identity = ws.identity(null, quiet);
        Path fleetDir = Files.createDirectories(base.resolve("fleet"));
        for (String f : List.of("common.nix", "host.nix", "host-v2.nix")) {
            try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + f)) {
                Files.copy(in, fleetDir.resolve(f));
            }
        }

        step(1, "Start the agents. Each one is a separate process with its own root directory (standing in",
                "for a host's /), its own SSH host key and a loopback port. It accepts only our SSH key and only",
                "store paths signed by our store key.");
        try (LocalFleet fleet = LocalFleet.start(base.resolve("hosts"), HOSTS,
                Path.of(ws.identityFile() + ".pub"), ws.signingPublicKeyFile())) {
            for (LocalFleet.Agent a : fleet.agents()) {
                out.printf("  %-6s listening on 127.0.0.1:%d, pid %d%n", a.name(), a.port(), a.process().pid());
            }
            Path inventoryFile = fleetDir.resolve("inventory.yaml");
            Map<String, Map<String, Object>> vars = new java.util.LinkedHashMap<>();
            for (String h : HOSTS) {
                vars.put(h, Map.of("role", h.startsWith("db") ? "db" : "web",
                        "max_connections", h.equals(BROKEN) ? "unlimited" : 100L));
            }
            fleet.writeInventory(inventoryFile, vars, Map.of("web-1", List.of("canary")));
            Inventory inventory = InventoryLoader.load(inventoryFile);
            DeploySettings settings = new DeploySettings(ws.store(), signer, identity, Optional.empty(), 5,
                    Duration.ofSeconds(10), SwitchMode.SWITCH);
            Evaluator evaluator = new Evaluator(EvalOptions.defaults());
            java.util.function.Function<String, Rollouts> deployer = config ->
                    new Rollouts(settings, new NixFileSource(fleetDir.resolve(config), evaluator, settings.store(), signer));

            step(2, "First deploy. fleet/host.nix (Nix language) is evaluated once per host with that host's",
                    "inventory facts, built into a store path here, copied over SSH, and switched atomically.");
            RolloutReport first = deploy(deployer.apply("host.nix"), inventory);
            for (String h : HOSTS) {
                expect(fleet.currentGeneration(h) == 1, h + " should be on generation 1");
                expect(fleet.etc(h, "motd").orElse("").contains("Welcome to " + h), h + ":/etc/motd should greet " + h);
            }
            expect(first.count(HostRecord.Result.SWITCHED) == HOSTS.size(), "the first deploy should succeed on every host");
            out.println("  => every host is on generation 1. web-1's /etc/motd now reads:");
            out.print("     " + fleet.etc("web-1", "motd").orElse("(missing)").replace("\n", "\n     ").stripTrailing() + "\n");

            step(3, "Deploy a change with a bug on one host. Version 2 adds /etc/app/app.conf and a health check",
                    "that validates it. " + BROKEN + "'s inventory sets max_connections to \"unlimited\", which the check rejects.");
            RolloutReport second = deploy(deployer.apply("host-v2.nix"), inventory);
            expect(second.host(BROKEN).result() == HostRecord.Result.ROLLED_BACK, BROKEN + " should have been rolled back");
            expect(fleet.currentGeneration(BROKEN) == 1, BROKEN + " should be back on generation 1");
            expect(fleet.etc(BROKEN, "app/app.conf").isEmpty(), BROKEN + " should not keep /etc/app/app.conf after its rollback");
            for (String h : HOSTS) {
                if (!h.equals(BROKEN)) {
                    expect(second.host(h).result() == HostRecord.Result.SWITCHED, h + " should have switched to version 2");
                    expect(fleet.currentGeneration(h) == 2, h + " should be on generation 2");
                    expect(fleet.etc(h, "app/app.conf").orElse("").contains("max_connections = 100"), h + " should have /etc/app/app.conf");
                }
            }
            out.println("  => " + BROKEN + " failed its health check, so its agent switched it back to generation 1");
            out.println("     (its /etc/app/app.conf is gone again); the other hosts are on generation 2.");

            step(4, "Deploy version 2 again. Every host already has every store path, so nothing is copied;",
                    "the healthy hosts stay on generation 2, and " + BROKEN + " is refused again by its health check.");
            RolloutReport third = deploy(deployer.apply("host-v2.nix"), inventory);
            long sent = third.hosts().stream().mapToLong(HostRecord::pathsSent).sum();
            expect(sent == 0, "the repeated deploy should copy nothing, but sent " + sent + " path(s)");
            for (String h : HOSTS) {
                expect(fleet.currentGeneration(h) == (h.equals(BROKEN) ? 1 : 2), h + " should not have changed generation");
            }
            out.println("  => 0 paths copied; no host changed generation.");
        }
        out.println("\nStopped the " + HOSTS.size() + " agents.");
    }

    private RolloutReport deploy(Rollouts deployer, Inventory inventory) throws InterruptedException, IOException {
        out.println();
        TextProgress progress = new TextProgress(out, inventory.names());
        RolloutReport report = deployer.deploy(inventory, progress);
        progress.report(report);
        return report;
    }

    private void step(int n, String... lines) {
        out.printf("%nStep %d/4. %s%n", n, lines[0]);
        for (int i = 1; i < lines.length; i++) {
            out.println("  " + lines[i]);
        }
    }

    private void expect(boolean ok, String what) {
        if (!ok) {
            problems.add(what);
        }
    }

    /** Removes a scratch tree, store paths included (they are read-only, so directories are opened up first). */
    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).forEach(p -> p.toFile().setWritable(true, true));
        } catch (IOException | java.io.UncheckedIOException e) {
            // Best effort: deletion below reports nothing either.
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
