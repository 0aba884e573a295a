package dev.flotilla.cli.remote;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "approve",
        mixinStandardHelpOptions = true,
        description = {"Approve a stage's approval gate, before the rollout reaches it or while it waits there; a waiting "
                + "rollout is queued again and goes on."},
        footer = {"", "Examples:", "  flotilla remote approve 42 --stage rest --follow"})
final class RemoteApproveCommand implements Callable<Integer> {

    @ParentCommand
    RemoteCommand remote;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The rollout's id.")
    long id;

    @Option(names = "--stage", paramLabel = "STAGE", description = "The stage whose gate to approve (default: the first gated stage not yet approved).")
    String stage;

    @Option(names = "--follow", description = "Then follow the rollout to its end (exit code: its outcome).")
    boolean follow;

    @Override
    public Integer call() {
        Map<String, String> body = new HashMap<>();
        if (stage != null) {
            body.put("stage", stage);
        }
        return RolloutControl.request(remote, spec.commandLine(), id, "approve", body,
                stage == null ? "approved" : "stage '" + stage + "' approved", follow);
    }
}
