package dev.flotilla.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/** What abort, approve, pause and resume share: one POST to a rollout, a line saying what it is now, optionally following it. */
final class RolloutControl {

    private RolloutControl() {}

    /**
     * Posts {@code body} to {@code /api/v1/rollouts/ID/action}, prints "rollout ID: {@code done} (now STATE)"; with
     * {@code follow}, then follows the rollout to its end and returns its outcome's exit code.
     */
    static int request(RemoteCommand remote, CommandLine cl, long id, String action, Map<String, ?> body, String done, boolean follow) {
        PrintWriter out = cl.getOut();
        try {
            ControllerClient client = remote.client();
            JsonNode r = client.post("api/v1/rollouts/" + id + "/" + action, body);
            out.printf("rollout %d: %s (now %s)%n", id, done, RemoteProgress.word(r.path("state").asText()));
            out.flush();
            return follow ? Follow.follow(client, id, out, false, null) : ExitCodes.OK;
        } catch (RemoteException e) {
            cl.getErr().println("error: " + e.describe());
            return e.exitCode();
        }
    }
}
