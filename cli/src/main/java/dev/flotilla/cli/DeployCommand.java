package dev.flotilla.cli;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.deploy.DeployReport;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.Deployer;
import dev.flotilla.deploy.HostResult;
import dev.flotilla.eval.EvalOptions;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.HostSelector;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.inventory.InventoryException;
import dev.flotilla.inventory.InventoryLoader;
import dev.flotilla.store.StoreDir;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "deploy",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate and build every host's system here, copy what each host lacks over SSH,",
            "and switch the hosts, a bounded number at a time. A host whose health checks fail",
            "is rolled back by its agent; the other hosts carry on."
        },
        footer = {
            "",
            "Examples:",
            "  flotilla deploy --inventory fleet/inventory.yaml --config fleet/host.nix",
            "  flotilla deploy -i inventory.yaml -c host.nix --on '@canary'",
            "  flotilla deploy -i inventory.yaml -c host.nix --on 'web-*,!web-3' --parallel 20 --json | jq .",
            "",
            "Exit codes: 0 every host switched or was already up to date; 1 some host rolled back;",
            "2 invalid input (inventory, configuration, options); 3 some host failed (unreachable,",
            "refused, copy or activation error); 70 internal error."
        })
final class DeployCommand implements Callable<Integer> {

    @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "FILE", description = "Inventory in Ansible's YAML shape.")
    Path inventory;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "Host configuration in the Nix language: a function of { host, hosts, ... }.")
    Path config;

    @Option(names = "--on", paramLabel = "SELECTOR",
            description = "Only these hosts: names, globs (web-*), groups, tags (@canary), ',' for union, '!' to exclude.")
    String on;

    @Option(names = "--parallel", defaultValue = "10", paramLabel = "N", description = "Hosts deployed at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--mode", defaultValue = "switch", paramLabel = "MODE",
            description = "switch (default), test (activate, not default), boot (default at next start), dry-activate.")
    String mode;

    @Option(names = "--identity", paramLabel = "FILE", description = "SSH private key (OpenSSH format). Default: the state directory's own.")
    Path identity;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file pinning host keys of hosts without 'host_key'.")
    Path knownHosts;

    @Option(names = "--state", paramLabel = "DIR", description = "State directory: local store and keys. Default: $FLOTILLA_STATE or ~/.local/state/flotilla.")
    Path state;

    @Option(names = "--store-dir", defaultValue = "/flotilla/store", paramLabel = "DIR", description = "Logical store directory (default: ${DEFAULT-VALUE}).")
    String storeDir;

    @Option(names = "--connect-timeout", defaultValue = "10", paramLabel = "SECONDS", description = "SSH connect timeout (default: ${DEFAULT-VALUE}).")
    int connectTimeout;

    @Option(names = "--json", description = "Print events and the final report as JSON lines instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Inventory inv;
        List<Host> targets;
        SwitchMode switchMode;
        try {
            inv = InventoryLoader.load(inventory);
            targets = on == null ? inv.hosts() : HostSelector.parse(on).select(inv);
            switchMode = SwitchMode.parse(mode);
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException(config + ": configuration file not found");
            }
        } catch (InventoryException | IllegalArgumentException | dev.flotilla.agent.AgentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        Workspace ws = new Workspace(state != null ? state : Workspace.defaultDir(), new StoreDir(storeDir));
        DeploySettings settings = new DeploySettings(ws.store(), ws.signingKey(err), ws.identity(identity, err),
                Optional.ofNullable(knownHosts), parallel, Duration.ofSeconds(connectTimeout), switchMode);
        Evaluator evaluator = new Evaluator(EvalOptions.defaults());
        Progress progress = json ? new JsonProgress(out) : new TextProgress(out, targets.stream().map(Host::name).toList());
        DeployReport report = new Deployer(settings, evaluator).deploy(inv, targets, config, progress);
        progress.report(report);
        return exitCode(report);
    }

    static int exitCode(DeployReport report) {
        boolean invalid = report.results().stream().anyMatch(r -> r instanceof HostResult.Failed f
                && (f.stage() == dev.flotilla.deploy.Stage.EVALUATE || f.stage() == dev.flotilla.deploy.Stage.BUILD));
        if (invalid) {
            return ExitCodes.INVALID_INPUT;
        }
        if (report.count(HostResult.Failed.class) > 0) {
            return ExitCodes.FAILED;
        }
        if (report.count(HostResult.RolledBack.class) > 0) {
            return ExitCodes.ROLLED_BACK;
        }
        return ExitCodes.OK;
    }
}
