package dev.flotilla.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Without an ID: the controller's recent rollouts, newest first, with counts of host states. With "
                + "a rollout ID: its hosts' states and generations; --follow prints its events live until it ends."
        },
        footer = {
            "",
            "Examples:",
            "  flotilla remote status --state running",
            "  flotilla remote status 42 --follow",
            ExitCodes.HELP
        })
final class RemoteStatusCommand implements Callable<Integer> {

    @ParentCommand
    RemoteCommand remote;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "A rollout's id.")
    Long id;

    @Option(names = "--follow", description = "Follow the rollout's events until it ends (exit code: its outcome).")
    boolean follow;

    @Option(names = "--state", paramLabel = "STATE", description = "Only rollouts in this state (pending, running, succeeded, failed, aborted).")
    String state;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "How many rollouts to list (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print the controller's JSON.")
    boolean json;

    @Override
    public Integer call() {
        ControllerClient client = remote.client();
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (id == null) {
                JsonNode page = client.get("api/v1/rollouts?size=" + Math.max(1, Math.min(500, limit))
                        + (state == null ? "" : "&state=" + java.net.URLEncoder.encode(state, java.nio.charset.StandardCharsets.UTF_8)));
                if (json) {
                    out.println(page.toString());
                } else {
                    list(out, page);
                }
                out.flush();
                return ExitCodes.OK;
            }
            if (follow) {
                return Follow.follow(client, id, out, json, null);
            }
            JsonNode r = client.get("api/v1/rollouts/" + id);
            if (json) {
                out.println(r.toString());
                out.flush();
            } else {
                new RemoteProgress(out).report(r);
            }
            return RemoteProgress.finished(r) ? RemoteProgress.exitCode(r) : ExitCodes.OK;
        } catch (RemoteException e) {
            spec.commandLine().getErr().println("error: " + e.describe());
            return e.exitCode();
        }
    }

    private static void list(PrintWriter out, JsonNode page) {
        out.printf("%-8s %-10s %-20s %-12s %-24s %s%n", "ID", "STATE", "CREATED", "BY", "HOSTS", "CONFIG");
        for (JsonNode r : page.path("items")) {
            StringBuilder counts = new StringBuilder();
            r.path("hostStates").fields().forEachRemaining(f -> counts.append(counts.isEmpty() ? "" : " ")
                    .append(RemoteProgress.word(f.getKey())).append('=').append(f.getValue().asLong()));
            String created = r.path("createdAt").asText("");
            out.printf("%-8d %-10s %-20s %-12s %-24s %s%n", r.path("id").asLong(), RemoteProgress.word(r.path("state").asText()),
                    created.length() > 19 ? created.substring(0, 19) : created, r.path("createdBy").asText(""), counts,
                    r.path("configPath").asText(""));
        }
        out.printf("%d of %d rollout(s)%n", page.path("items").size(), page.path("total").asLong());
    }
}
