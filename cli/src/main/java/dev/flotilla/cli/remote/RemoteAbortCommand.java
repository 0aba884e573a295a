package dev.flotilla.cli.remote;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "abort",
        mixinStandardHelpOptions = true,
        description = {"Stop a rollout on the controller: hosts not yet switching are left alone; switches under way complete."})
final class RemoteAbortCommand implements Callable<Integer> {

    @ParentCommand
    RemoteCommand remote;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The rollout's id.")
    long id;

    @Override
    public Integer call() {
        return RolloutControl.request(remote, spec.commandLine(), id, "abort", Map.of(), "abort requested", false);
    }
}
