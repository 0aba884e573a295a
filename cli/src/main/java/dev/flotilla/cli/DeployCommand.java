package dev.flotilla.cli;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.RolloutReport;
import dev.flotilla.deploy.Rollouts;
import dev.flotilla.deploy.plan.BuiltinPlans;
import dev.flotilla.deploy.plan.Plan;
import dev.flotilla.deploy.plan.PlanException;
import dev.flotilla.deploy.fleet.FleetException;
import dev.flotilla.deploy.rollout.FileRolloutStore;
import dev.flotilla.deploy.rollout.RolloutRecord;
import dev.flotilla.deploy.rollout.RolloutStore;
import dev.flotilla.eval.EvalOptions;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.inventory.InventoryException;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "deploy",
        mixinStandardHelpOptions = true,
        description = {
            "Build every host's system here, copy what each host lacks over SSH (to every target, before",
            "any switch: a copy failure switches nothing), then switch the hosts stage by stage as the plan",
            "says: batches, failure budgets, health gates, pauses and approvals. A host whose checks fail is",
            "rolled back; a stage over its failure budget halts the rollout and the plan's rollback policy runs.",
            "Every rollout is kept under the state directory; an interrupted one resumes with --resume ID",
            "(or by running the same deploy again), asking each host what it runs so no switch is repeated."
        },
        footer = {
            "",
            "Plans: all-at-once (default), rolling (batches of 25%%), canary (one host tagged canary, then 10%%,",
            "then the rest), a fleet's plans/NAME.yaml, or a YAML file (see deploy-plans/README.md).",
            "",
            "Examples:",
            "  flotilla deploy --fleet fleet/ --plan canary",
            "  flotilla deploy --fleet fleet/ --plan careful --approve canary --approve rest",
            "  flotilla deploy -i inventory.yaml -c host.nix --on 'web-*,!web-3' --parallel 20 --json | jq .",
            "  flotilla deploy --resume 20250301-142233-a1f3 --approve rest",
            ExitCodes.HELP
        })
final class DeployCommand implements Callable<Integer> {

    @Mixin
    FleetOptions fleet;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--plan", paramLabel = "NAME|FILE", description = "Rollout plan (default: the fleet's plans/default.yaml, else all-at-once).")
    String plan;

    @Option(names = "--resume", paramLabel = "ID", description = "Continue an interrupted rollout, or one that awaits approval.")
    String resume;

    @Option(names = "--no-auto-resume", description = "Start a new rollout even if an interrupted one of the same systems exists.")
    boolean noAutoResume;

    @Option(names = "--approve", paramLabel = "STAGE", description = "Approve this stage's gate in advance (repeatable).")
    List<String> approve = List.of();

    @Option(names = {"-y", "--yes"}, description = "Approve every gate.")
    boolean yes;

    @Option(names = "--parallel", defaultValue = "10", paramLabel = "N", description = "Hosts copied to or switched at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--mode", defaultValue = "switch", paramLabel = "MODE",
            description = "switch (default), test (activate, not default), boot (default at next start), dry-activate.")
    String mode;

    @Option(names = "--json", description = "Stream events and the final report as JSON lines instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Inventory inv = null;
        List<Host> targets = List.of();
        Plan chosen = null;
        SwitchMode switchMode;
        try {
            switchMode = SwitchMode.parse(mode);
            if (parallel < 1) {
                throw new IllegalArgumentException("--parallel must be at least 1");
            }
            if (resume == null) {
                fleet.modules(connection.storeDir);
                inv = fleet.load();
                targets = fleet.targets(inv);
                fleet.configFile();
                chosen = fleet.plan(plan, BuiltinPlans.ALL_AT_ONCE);
            } else if (fleet.given() || plan != null) {
                throw new IllegalArgumentException("--resume ID continues a stored rollout: it takes no --fleet, --inventory or --plan");
            }
        } catch (InventoryException | PlanException | IllegalArgumentException | AgentException | FleetException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        DeploySettings settings = connection.settings(parallel, switchMode, err);
        FileRolloutStore store = connection.rollouts();
        CliApprovals approvals = new CliApprovals(new HashSet<>(approve), yes, err);
        Progress progress;
        RolloutReport report;
        try {
            if (resume != null) {
                RolloutRecord r = store.load(resume).orElseThrow(() -> new IllegalArgumentException(
                        "no rollout " + resume + " in " + store.dir() + " (flotilla status lists them)"));
                progress = progress(out, r.hosts().stream().map(h -> h.name()).toList());
                report = new Rollouts(settings, (h, i) -> {
                    throw new IllegalStateException("a resumed rollout builds nothing");
                }, store, connection.agents(settings)).resume(resume, approvals, progress);
            } else {
                progress = progress(out, targets.stream().map(Host::name).toList());
                var source = fleet.source(new Evaluator(EvalOptions.defaults()), settings.store(), settings.signer());
                progress.note("Building " + targets.size() + " system(s)...");
                report = new Rollouts(settings, source, store, connection.agents(settings))
                        .deploy(inv, targets, chosen, fleet.describe("deploy"), approvals, progress, !noAutoResume);
            }
        } catch (RolloutStore.RolloutBusyException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        } catch (IllegalStateException e) {
            if (resume != null && e.getMessage() != null && e.getMessage().contains("has finished")) {
                err.println("error: " + e.getMessage());
                return ExitCodes.INVALID_INPUT;
            }
            throw e;
        }
        progress.report(report);
        return ExitCodes.of(report.outcome());
    }

    private Progress progress(PrintStream out, List<String> hosts) {
        return json ? new JsonProgress(out) : new TextProgress(out, hosts);
    }
}
