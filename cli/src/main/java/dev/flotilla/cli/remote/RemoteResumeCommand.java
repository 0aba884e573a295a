package dev.flotilla.cli.remote;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "resume",
        mixinStandardHelpOptions = true,
        description = {"Queue a paused rollout again: the replica that takes it asks every host caught mid-step where it "
                + "is, then goes on without repeating a switch."})
final class RemoteResumeCommand implements Callable<Integer> {

    @ParentCommand
    RemoteCommand remote;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The rollout's id.")
    long id;

    @Option(names = "--follow", description = "Then follow the rollout to its end (exit code: its outcome).")
    boolean follow;

    @Override
    public Integer call() {
        return RolloutControl.request(remote, spec.commandLine(), id, "resume", Map.of(), "resumed", follow);
    }
}
