package dev.flotilla.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.cli.ExitCodes;
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
        try {
            JsonNode r = remote.client().post("api/v1/rollouts/" + id + "/abort", java.util.Map.of());
            spec.commandLine().getOut().printf("rollout %d: abort requested (now %s)%n", id, RemoteProgress.word(r.path("state").asText()));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        } catch (RemoteException e) {
            spec.commandLine().getErr().println("error: " + e.describe());
            return e.exitCode();
        }
    }
}
