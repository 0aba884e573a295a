package dev.flotilla.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a controller's rollout the way the local mode prints its own: a line per host state change
 * (host, state, detail), rollout-level lines, then a table of hosts and a one-line outcome.
 */
final class RemoteProgress {

    private final PrintWriter out;
    private int width = 8;

    RemoteProgress(PrintWriter out) {
        this.out = out;
    }

    /** Sizes the host column for these hosts (a rollout view's {@code hosts}). */
    void hosts(JsonNode hosts) {
        for (JsonNode h : hosts) {
            width = Math.max(width, h.path("name").asText().length());
        }
    }

    void started(JsonNode rollout) {
        String on = rollout.path("selector").asText("the given inventory");
        if ("ROLLBACK".equals(rollout.path("goal").asText())) {
            out.printf("Started rollback %d: %s on %s%n", rollout.path("id").asLong(), rollout.path("description").asText("rollback"), on);
        } else {
            out.printf("Started rollout %d: %s on %s%n", rollout.path("id").asLong(), rollout.path("configPath").asText("?"), on);
        }
        out.flush();
    }

    /** One event of the stream: {@code {kind, host, state, detail}}. */
    void on(ControllerClient.Event event) {
        JsonNode e = event.data();
        String detail = e.path("detail").asText("");
        switch (e.path("kind").asText()) {
            case "HOST" -> out.println(String.format("%-" + width + "s  %-12s %s", e.path("host").asText(), word(e.path("state").asText()),
                    detail).stripTrailing());
            case "ROLLOUT" -> out.printf("rollout %d: %s%s%n", e.path("rolloutId").asLong(), word(e.path("state").asText()),
                    detail.isEmpty() ? "" : " (" + detail + ")");
            default -> out.printf("   ... %s%n", detail);
        }
        out.flush();
    }

    /** The table of hosts and the outcome line of a rollout view (with {@code hosts}). */
    void report(JsonNode rollout) {
        hosts(rollout.path("hosts"));
        out.println();
        out.printf("%-" + width + "s  %-12s %10s %7s  %s%n", "HOST", "RESULT", "GENERATION", "COPIED", "DETAIL");
        for (JsonNode h : rollout.path("hosts")) {
            out.printf("%-" + width + "s  %-12s %10s %7s  %s%n", h.path("name").asText(), word(h.path("state").asText()),
                    generation(h), bytes(h.path("bytesSent").asLong()), detail(h));
        }
        String id = "rollout " + rollout.path("id").asLong() + " ";
        String summary = rollout.path("summary").asText("");
        out.println();
        out.println(switch (rollout.path("state").asText()) {
            case "SUCCEEDED" -> id + "succeeded.";
            case "FAILED" -> id + "failed" + (summary.isEmpty() ? "." : ": " + summary);
            case "ROLLED_BACK" -> id + "finished with hosts rolled back" + (summary.isEmpty() ? "." : ": " + summary);
            case "HALTED" -> id + "halted" + (summary.isEmpty() ? "." : ": " + summary);
            case "ABORTED" -> id + "aborted" + (summary.isEmpty() ? "." : ": " + summary);
            case "AWAITING_APPROVAL" -> id + "is awaiting approval (approve it with 'flotilla remote approve "
                    + rollout.path("id").asLong() + " --follow')" + (summary.isEmpty() ? "." : ": " + summary);
            case "PAUSED" -> id + "is paused (resume it with 'flotilla remote resume " + rollout.path("id").asLong() + " --follow').";
            default -> id + "is " + word(rollout.path("state").asText()) + " (follow it with 'flotilla remote status "
                    + rollout.path("id").asLong() + " --follow').";
        });
        out.flush();
    }

    /** The exit code of a finished rollout, as the local mode's: some host rolled back but none failed is 1. */
    static int exitCode(JsonNode rollout) {
        return switch (rollout.path("state").asText()) {
            case "SUCCEEDED" -> ExitCodes.OK;
            case "ABORTED", "HALTED", "AWAITING_APPROVAL", "PAUSED" -> ExitCodes.HALTED;
            case "ROLLED_BACK" -> ExitCodes.ROLLED_BACK;
            case "FAILED" -> ExitCodes.FAILED;
            default -> ExitCodes.OK;
        };
    }

    /** Ended, or waiting for an operator (the local mode stops there too, with the halted exit code). */
    static boolean finished(JsonNode rollout) {
        return switch (rollout.path("state").asText()) {
            case "SUCCEEDED", "ROLLED_BACK", "FAILED", "HALTED", "ABORTED", "AWAITING_APPROVAL", "PAUSED" -> true;
            default -> false;
        };
    }

    private static String generation(JsonNode h) {
        String from = h.hasNonNull("fromGeneration") ? h.get("fromGeneration").asText() : "-";
        if (!h.hasNonNull("toGeneration")) {
            return from;
        }
        String to = h.get("toGeneration").asText();
        return from.equals(to) ? to : from + " -> " + to;
    }

    private static String detail(JsonNode h) {
        String reason = h.path("reason").asText("");
        if (!reason.isEmpty()) {
            return reason;
        }
        String top = h.path("toplevel").asText("");
        return h.path("pathsSent").asInt() > 0 ? h.path("pathsSent").asInt() + " path(s) sent, " + top : top;
    }

    static String word(String state) {
        return "FAILED".equals(state) ? state : state.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String bytes(long n) {
        if (n <= 0) {
            return "";
        }
        if (n < 1024) {
            return n + "B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1fK", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1fM", n / (1024.0 * 1024));
    }
}
