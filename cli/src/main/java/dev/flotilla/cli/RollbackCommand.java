package dev.flotilla.cli;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.RolloutReport;
import dev.flotilla.deploy.Rollouts;
import dev.flotilla.deploy.plan.BuiltinPlans;
import dev.flotilla.deploy.plan.Plan;
import dev.flotilla.deploy.plan.PlanException;
import dev.flotilla.deploy.fleet.FleetException;
import dev.flotilla.deploy.rollout.RolloutStore;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.inventory.InventoryException;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rollback",
        mixinStandardHelpOptions = true,
        description = {
            "Return hosts to earlier generations, fleet-wide, with the same engine and plans as a deploy:",
            "stages, batches, failure budgets, health gates and approvals. Nothing is built or copied: each",
            "host goes back to a generation it already has: the one before its current one (default), a",
            "given generation number, or the one an earlier rollout left it on."
        },
        footer = {
            "",
            "Examples:",
            "  flotilla rollback --fleet fleet/ --on '*'",
            "  flotilla rollback --fleet fleet/ --on 'web-*' --to-generation 3 --plan rolling",
            "  flotilla rollback --fleet fleet/ --on '*' --to-rollout 20250301-142233-a1f3",
            ExitCodes.HELP
        })
final class RollbackCommand implements Callable<Integer> {

    @Mixin
    FleetOptions fleet;

    @Mixin
    ConnectionOptions connection;

    static final class Target {
        @Option(names = "--to-generation", paramLabel = "N", description = "Generation N on every host.")
        Integer generation;

        @Option(names = "--to-rollout", paramLabel = "ID", description = "The generations rollout ID left each host on.")
        String rollout;
    }

    @ArgGroup(exclusive = true)
    Target target;

    @Option(names = "--plan", paramLabel = "NAME|FILE", description = "Rollout plan (default: the fleet's plans/default.yaml, else all-at-once).")
    String plan;

    @Option(names = "--approve", paramLabel = "STAGE", description = "Approve this stage's gate in advance (repeatable).")
    List<String> approve = List.of();

    @Option(names = {"-y", "--yes"}, description = "Approve every gate.")
    boolean yes;

    @Option(names = "--parallel", defaultValue = "10", paramLabel = "N", description = "Hosts rolled back at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--json", description = "Stream events and the final report as JSON lines instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Inventory inv;
        List<Host> targets;
        Plan chosen;
        Rollouts.RollbackTarget to;
        try {
            if (fleet.on == null) {
                throw new IllegalArgumentException("say which hosts to roll back: --on SELECTOR ('*' for every host)");
            }
            if (parallel < 1) {
                throw new IllegalArgumentException("--parallel must be at least 1");
            }
            fleet.modules(connection.storeDir);
            inv = fleet.load();
            targets = fleet.targets(inv);
            chosen = fleet.plan(plan, BuiltinPlans.ALL_AT_ONCE);
            to = target == null ? new Rollouts.RollbackTarget.Previous()
                    : target.generation != null ? new Rollouts.RollbackTarget.Generation(positive(target.generation))
                    : new Rollouts.RollbackTarget.Rollout(target.rollout);
        } catch (InventoryException | PlanException | IllegalArgumentException | FleetException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        DeploySettings settings = connection.settings(parallel, SwitchMode.SWITCH, err);
        Progress progress = json ? new JsonProgress(out) : new TextProgress(out, targets.stream().map(Host::name).toList());
        Rollouts deployer = new Rollouts(settings, (h, i) -> {
            throw new IllegalStateException("a rollback builds nothing");
        }, connection.rollouts(), connection.agents(settings));
        RolloutReport report;
        try {
            String suffix = switch (to) {
                case Rollouts.RollbackTarget.Previous p -> "";
                case Rollouts.RollbackTarget.Generation g -> " --to-generation " + g.number();
                case Rollouts.RollbackTarget.Rollout r -> " --to-rollout " + r.id();
            };
            report = deployer.rollback(targets, to, chosen, fleet.describe("rollback") + suffix,
                    new CliApprovals(new HashSet<>(approve), yes, err), progress);
        } catch (IllegalArgumentException | RolloutStore.RolloutBusyException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        progress.report(report);
        return ExitCodes.of(report.outcome());
    }

    private static int positive(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--to-generation must be at least 1, got " + n);
        }
        return n;
    }
}
