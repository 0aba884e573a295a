package dev.flotilla.e2e.rollout;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.cli.LocalFleet;
import dev.flotilla.cli.Workspace;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.NixFileSource;
import dev.flotilla.deploy.RolloutReport;
import dev.flotilla.deploy.Rollouts;
import dev.flotilla.deploy.plan.Plan;
import dev.flotilla.deploy.plan.PlanLoader;
import dev.flotilla.deploy.rollout.Approvals;
import dev.flotilla.deploy.rollout.FileRolloutStore;
import dev.flotilla.deploy.rollout.RolloutListener;
import dev.flotilla.deploy.rollout.SshAgents;
import dev.flotilla.e2e.CliRun;
import dev.flotilla.eval.EvalOptions;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.inventory.InventoryLoader;
import dev.flotilla.store.StoreDir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ten real agent processes and a deploying side (a CLI workspace), shared by a test class. Every
 * configuration it writes is a new version, so every deploy is a real switch; a version's health checks
 * append to {@code checks-<version>.log} in the host's root, so a test can count how often a host was
 * switched to it.
 */
final class TenHosts implements AutoCloseable {

    static final List<String> HOSTS = List.of("web-1", "web-2", "web-3", "web-4", "web-5", "web-6", "web-7", "web-8", "web-9", "web-10");
    static final String CANARY = "web-1";

    final Path dir;
    final Path fleetDir;
    final Path state;
    final Path inventoryFile;
    final Inventory inventory;
    final LocalFleet fleet;
    final DeploySettings settings;
    final FileRolloutStore store;
    private final Evaluator evaluator = new Evaluator(EvalOptions.defaults());
    private final AtomicInteger versions = new AtomicInteger();

    TenHosts(Path dir) throws IOException {
        this.dir = dir;
        this.fleetDir = Files.createDirectories(dir.resolve("fleet"));
        this.state = dir.resolve("state");
        Workspace ws = new Workspace(state, new StoreDir("/flotilla/store"));
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        var signer = ws.signingKey(quiet);
        ws.identity(null, quiet);
        fleet = LocalFleet.start(dir.resolve("hosts"), HOSTS, Path.of(ws.identityFile() + ".pub"), ws.signingPublicKeyFile());
        inventoryFile = fleetDir.resolve("inventory.yaml");
        fleet.writeInventory(inventoryFile, Map.of(), Map.of(CANARY, List.of("canary")));
        inventory = InventoryLoader.load(inventoryFile);
        settings = new DeploySettings(ws.store(), signer, SshKeys.load(ws.identityFile()), Optional.empty(), 10,
                Duration.ofSeconds(10), SwitchMode.SWITCH);
        store = new FileRolloutStore(state.resolve("rollouts"));
    }

    /** A new configuration: its own version, failing its checks on {@code broken}, each check run taking {@code checkSeconds}. */
    String version(List<String> broken, double checkSeconds) throws IOException {
        String v = "v" + versions.incrementAndGet();
        String brokenList = String.join(" ", broken.stream().map(b -> "\"" + b + "\"").toList());
        Files.writeString(fleetDir.resolve(v + ".nix"), """
                { host, hosts, ... }:
                let broken = builtins.elem host.name [ %s ]; in
                {
                  environment.etc."app/version".text = "%s\\n";
                  healthChecks.count = { command = "echo %s >> checks-%s.log; sleep %s"; retries = 1; };
                  healthChecks.app = { command = if broken then "echo 'app is broken' >&2; exit 1" else "true"; retries = 1; };
                }
                """.formatted(brokenList, v, v, v, checkSeconds));
        return v;
    }

    String version(String... broken) throws IOException {
        return version(List.of(broken), 0);
    }

    Path config(String version) {
        return fleetDir.resolve(version + ".nix");
    }

    Rollouts rollouts(String version) {
        return new Rollouts(settings, new NixFileSource(config(version), evaluator, settings.store(), settings.signer()), store,
                new SshAgents(settings));
    }

    RolloutReport deploy(String version, Plan plan, Approvals approvals, RolloutListener listener) throws Exception {
        return rollouts(version).deploy(inventory, inventory.hosts(), plan, "deploy " + version, approvals, listener, false);
    }

    static Plan plan(String yaml) {
        return PlanLoader.parse("test plan", yaml);
    }

    Map<String, Integer> generations() throws IOException {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String h : HOSTS) {
            out.put(h, fleet.currentGeneration(h));
        }
        return out;
    }

    /** How many times {@code host}'s checks for {@code version} ran: once per switch to it. */
    int checkRuns(String host, String version) throws IOException {
        Path log = fleet.agent(host).root().resolve("checks-" + version + ".log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    String appVersion(String host) throws IOException {
        return fleet.etc(host, "app/version").orElse("").strip();
    }

    /** Runs the `flotilla` command in this JVM, against this workspace. */
    CliRun flotilla(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--state");
        all.add(state.toString());
        return CliRun.flotilla(all.toArray(String[]::new));
    }

    /** Starts the `flotilla` command as a separate process (so a test can kill it), with this workspace. */
    Process flotillaProcess(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xss4m", "--enable-native-access=ALL-UNNAMED"));
        // As ./flotilla runs deploy and rollback: C1, and C2 for the ciphers and digests only.
        cmd.addAll(dev.flotilla.agent.AgentJvm.jit(dev.flotilla.agent.AgentJvm.directivesFile()));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), dev.flotilla.cli.Main.class.getName()));
        cmd.addAll(List.of(args));
        cmd.add("--state");
        cmd.add(state.toString());
        return new ProcessBuilder(cmd).redirectError(dir.resolve("child-cli.err").toFile()).start();
    }

    @Override
    public void close() {
        fleet.close();
    }
}
