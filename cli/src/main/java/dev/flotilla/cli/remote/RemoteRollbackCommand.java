package dev.flotilla.cli.remote;

import dev.flotilla.cli.ExitCodes;
import dev.flotilla.deploy.plan.PlanException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "rollback",
        mixinStandardHelpOptions = true,
        description = {
            "Return the controller's hosts to earlier generations (POST /api/v1/rollbacks) and follow it to its end, "
                + "as 'remote deploy' does: to each host's previous generation (default), to generation N, or to the "
                + "generations an earlier rollout left. Nothing is built or copied; plans, budgets and gates apply."
        },
        footer = {
            "",
            "Examples:",
            "  flotilla remote rollback --on web-3",
            "  flotilla remote rollback --on '*' --to-rollout 41 --plan rolling",
            "  flotilla remote rollback --on '@canary' --to-generation 7 --detach",
            ExitCodes.HELP
        })
final class RemoteRollbackCommand implements Callable<Integer> {

    @ParentCommand
    RemoteCommand remote;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--on", required = true, paramLabel = "SELECTOR", description = "Hosts: names, globs (web-*), tags (@canary), '*' for all.")
    String selector;

    static final class Target {
        @Option(names = "--to-generation", paramLabel = "N", description = "Generation N on every host.")
        Integer generation;

        @Option(names = "--to-rollout", paramLabel = "ID", description = "The generations rollout ID left each host on.")
        Long rollout;
    }

    @ArgGroup(exclusive = true)
    Target target;

    @Option(names = "--plan", paramLabel = "NAME|FILE", description = "Rollout plan: a built-in name or a plan file (default: all-at-once).")
    String plan;

    @Option(names = "--parallel", paramLabel = "N", description = "Hosts rolled back at once (default: the controller's).")
    Integer parallel;

    @Option(names = "--detach", description = "Print the rollback's id and return without following it.")
    boolean detach;

    @Option(names = "--json", description = "Print the events and the final rollout as JSON lines.")
    boolean json;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("selector", selector);
        if (target != null && target.generation != null) {
            body.put("toGeneration", target.generation);
        }
        if (target != null && target.rollout != null) {
            body.put("toRollout", target.rollout);
        }
        if (parallel != null) {
            body.put("parallel", parallel);
        }
        try {
            if (plan != null) {
                body.put("plan", RemotePlan.of(plan));
            }
        } catch (PlanException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        ControllerClient client = remote.client();
        return Follow.start(client, "api/v1/rollbacks", body, detach, json, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
