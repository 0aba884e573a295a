package dev.flotilla.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.function.Consumer;

/** Follows one rollout on the controller to its end and prints it: shared by deploy, rollback and status --follow. */
final class Follow {

    private static final int REFOLLOWS = 100;

    private Follow() {}

    private static void sleep() throws RemoteException {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException(0, "interrupted", "interrupted", null);
        }
    }

    /**
     * Creates a rollout ({@code POST path} with {@code body}) and follows it, or with {@code detach} prints
     * its id (or the created rollout, with {@code json}) and returns at once. Errors go to {@code err}.
     */
    static int start(ControllerClient client, String path, Object body, boolean detach, boolean json, PrintWriter out,
            PrintWriter err) {
        try {
            JsonNode created = client.post(path, body);
            long id = created.path("id").asLong();
            if (detach) {
                out.println(json ? created.toString() : Long.toString(id));
                out.flush();
                return dev.flotilla.cli.ExitCodes.OK;
            }
            return follow(client, id, out, json, created);
        } catch (RemoteException e) {
            err.println("error: " + e.describe());
            return e.exitCode();
        }
    }

    /** Prints every event of the rollout as it happens, then the rollout as it ended; returns the exit code of its outcome. */
    static int follow(ControllerClient client, long id, PrintWriter out, boolean json, JsonNode started) throws RemoteException {
        RemoteProgress progress = new RemoteProgress(out);
        if (!json && started != null) {
            progress.started(started);
        }
        JsonNode now = client.get("api/v1/rollouts/" + id);
        progress.hosts(now.path("hosts"));
        Consumer<ControllerClient.Event> print = e -> {
            if (json) {
                out.println(e.data().toString());
                out.flush();
            } else {
                progress.on(e);
            }
        };
        long last = client.follow(id, 0, print);
        JsonNode end = client.get("api/v1/rollouts/" + id);
        // The stream ends after the rollout's last event, or early when the replica serving it stops.
        for (int again = 0; !RemoteProgress.finished(end) && again < REFOLLOWS; again++) {
            sleep();
            last = client.follow(id, last, print);
            end = client.get("api/v1/rollouts/" + id);
        }
        if (json) {
            out.println(end.toString());
            out.flush();
        } else {
            progress.report(end);
        }
        return RemoteProgress.exitCode(end);
    }
}
