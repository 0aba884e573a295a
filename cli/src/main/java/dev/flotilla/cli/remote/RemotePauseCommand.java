package dev.flotilla.cli.remote;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "pause",
        mixinStandardHelpOptions = true,
        description = {"Pause a rollout before its next switch: switches under way finish, nothing else starts until "
                + "'remote resume ID'."})
final class RemotePauseCommand implements Callable<Integer> {

    @ParentCommand
    RemoteCommand remote;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The rollout's id.")
    long id;

    @Override
    public Integer call() {
        return RolloutControl.request(remote, spec.commandLine(), id, "pause", Map.of(), "pause requested", false);
    }
}
