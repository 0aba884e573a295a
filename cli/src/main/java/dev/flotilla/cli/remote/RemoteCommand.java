package dev.flotilla.cli.remote;

import dev.flotilla.cli.ExitCodes;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla remote}: the same deploy and status as the local mode, run by a controller. The
 * connection options belong to this command, so they come before the subcommand.
 */
@Command(name = "remote",
        mixinStandardHelpOptions = true,
        description = {
            "Run rollouts on a Flotilla controller instead of in this process: the controller builds, copies "
                + "and switches (with its own keys and database); this command starts them through its REST API "
                + "and follows their progress over server-sent events, printing a line per host state change and a "
                + "summary table, as the local mode does. Interrupting the command does not stop the rollout: "
                + "follow it again with 'remote status ID --follow', stop it with 'remote abort ID'. Rollbacks, approval "
                + "gates, pauses and plans work as in the local mode."
        },
        footer = {
            "",
            "The controller and token come from --controller/--token, else from FLOTILLA_CONTROLLER and",
            "FLOTILLA_TOKEN (prefer the variable: arguments are visible to other users in the process list).",
            "",
            "Examples:",
            "  export FLOTILLA_CONTROLLER=https://flotilla.example.org FLOTILLA_TOKEN=...",
            "  flotilla remote deploy --config /srv/fleet/host.nix --on 'web-*'",
            "  flotilla remote status                  # recent rollouts",
            "  flotilla remote status 42 --follow      # one rollout, live until it ends",
            "  flotilla remote deploy --config /srv/fleet/host.nix --on '*' --plan canary",
            "  flotilla remote approve 42 --stage rest --follow",
            "  flotilla remote pause 42; flotilla remote resume 42",
            "  flotilla remote rollback --on '*' --to-rollout 41",
            "  flotilla remote abort 42",
            "  flotilla remote fleet register web /srv/fleet; flotilla remote fleet revision web",
            ExitCodes.HELP
        },
        subcommands = {RemoteDeployCommand.class, RemoteRollbackCommand.class, RemoteStatusCommand.class, RemoteApproveCommand.class,
            RemotePauseCommand.class, RemoteResumeCommand.class, RemoteAbortCommand.class, RemoteFleetCommand.class})
public final class RemoteCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--controller", paramLabel = "URL", scope = CommandLine.ScopeType.LOCAL,
            description = "The controller's base URL (default: $FLOTILLA_CONTROLLER).")
    String controller;

    @Option(names = "--token", paramLabel = "TOKEN", scope = CommandLine.ScopeType.LOCAL,
            description = "An API token: operator to deploy, roll back or control a rollout, viewer for status (default: $FLOTILLA_TOKEN).")
    String token;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** The client these options describe; a usage error when either is missing or the URL is not one. */
    ControllerClient client() {
        String url = controller != null ? controller : System.getenv("FLOTILLA_CONTROLLER");
        String secret = token != null ? token : System.getenv("FLOTILLA_TOKEN");
        if (url == null || url.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no controller: give --controller URL or set FLOTILLA_CONTROLLER");
        }
        if (secret == null || secret.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no token: give --token TOKEN or set FLOTILLA_TOKEN");
        }
        try {
            URI uri = new URI(url.trim());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new URISyntaxException(url, "the scheme must be http or https");
            }
            return new ControllerClient(uri, secret.trim());
        } catch (URISyntaxException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--controller: not a URL: " + e.getMessage());
        }
    }
}
