package dev.flotilla.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.cli.ExitCodes;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code flotilla remote fleet register|revision}: fleets the controller builds and deploys from. */
@Command(name = "fleet",
        mixinStandardHelpOptions = true,
        description = {"Register a fleet folder on the controller, or pin its current content as a revision to deploy "
                + "('remote deploy' through the API's {\"fleet\", \"revision\"})."},
        subcommands = {RemoteFleetCommand.Register.class, RemoteFleetCommand.Revision.class})
final class RemoteFleetCommand implements Runnable {

    @ParentCommand
    RemoteCommand remote;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Register the fleet folder PATH (fleet.nix, inventory.yaml) as NAME. PATH is read by the controller, on its host."})
    static final class Register implements Callable<Integer> {
        @ParentCommand
        RemoteFleetCommand fleet;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The fleet's name.")
        String name;

        @Parameters(index = "1", paramLabel = "PATH", description = "The folder on the controller host.")
        Path path;

        @Override
        public Integer call() {
            return send(fleet, spec.commandLine(), "api/v1/fleets", Map.of("name", name, "path", path.toAbsolutePath().normalize().toString()),
                    f -> "fleet " + f.path("name").asText() + ": registered " + f.path("path").asText());
        }
    }

    @Command(name = "revision", mixinStandardHelpOptions = true,
            description = {"Pin fleet NAME's current content as a new revision; prints its id and content hash."})
    static final class Revision implements Callable<Integer> {
        @ParentCommand
        RemoteFleetCommand fleet;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The fleet's name.")
        String name;

        @Override
        public Integer call() {
            return send(fleet, spec.commandLine(), "api/v1/fleets/" + name + "/revisions", Map.of(),
                    r -> "fleet " + name + ": revision " + r.path("id").asLong() + " " + r.path("hash").asText());
        }
    }

    private static int send(RemoteFleetCommand fleet, CommandLine cl, String path, Map<String, ?> body,
                            java.util.function.Function<JsonNode, String> line) {
        try {
            JsonNode r = fleet.remote.client().post(path, body);
            cl.getOut().println(line.apply(r));
            cl.getOut().flush();
            return ExitCodes.OK;
        } catch (RemoteException e) {
            cl.getErr().println("error: " + e.describe());
            return e.exitCode();
        }
    }
}
