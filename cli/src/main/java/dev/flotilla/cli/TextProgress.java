package dev.flotilla.cli;

import dev.flotilla.deploy.RolloutReport;
import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.deploy.rollout.HostState;
import dev.flotilla.deploy.rollout.RolloutEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;

/**
 * Like colmena's log view: a header per stage, one line per host state change (state, time since the host
 * started, bytes sent, detail), then a summary table.
 */
final class TextProgress implements Progress {

    private final PrintStream out;
    private final int width;

    TextProgress(PrintStream out, Collection<String> hosts) {
        this.out = out;
        this.width = Math.max(8, hosts.stream().mapToInt(String::length).max().orElse(8));
    }

    @Override
    public synchronized void on(RolloutEvent event) {
        switch (event) {
            case RolloutEvent.Started s -> out.printf("%s rollout %s: plan %s, %d host(s), stages %s%n",
                    s.resumed() ? "Resuming" : "Starting", s.rollout(), s.plan(), s.hosts(), String.join(" → ", s.stages()));
            case RolloutEvent.StageStarted s -> out.printf("%n== %s: %s%n", s.copyPhase() ? "copy to every host" : "stage " + s.number()
                    + "/" + s.of() + " " + s.stage(), s.hosts().isEmpty() ? "no hosts" : summary(s.hosts()));
            case RolloutEvent.Waiting w -> out.printf("   ... %s%n", switch (w.reason()) {
                case "approval" -> "waiting for approval of stage " + w.stage();
                case "pause" -> "pausing " + seconds(w.duration()) + " after stage " + w.stage();
                default -> w.reason() + ": checking stage " + w.stage() + "'s hosts for " + seconds(w.duration());
            });
            case RolloutEvent.Transition t -> out.printf("%-" + width + "s  %-12s %6s %7s  %s%n", t.host(), state(t.to()),
                    seconds(t.elapsed()), t.bytes() > 0 ? bytes(t.bytes()) : "", t.detail());
            case RolloutEvent.StageFinished f -> { }
            case RolloutEvent.Finished f -> { }
        }
        out.flush();
    }

    @Override
    public void note(String line) {
        out.println(line);
    }

    @Override
    public synchronized void report(RolloutReport report) {
        out.println();
        out.printf("%-" + width + "s  %-12s %10s %7s  %s%n", "HOST", "RESULT", "GENERATION", "COPIED", "DETAIL");
        report.invalid().forEach((host, e) -> out.printf("%-" + width + "s  %-12s %10s %7s  while %s: %s%n", host, "FAILED", "-", "",
                e.step().verb(), e.getMessage()));
        for (HostRecord h : report.hosts()) {
            out.printf("%-" + width + "s  %-12s %10s %7s  %s%n", h.name(), word(h.result()), generation(h), bytes(h.bytesSent()), detail(h));
        }
        out.printf("%n%d switched, %d unchanged, %d rolled back, %d failed, %d not switched in %s%n",
                report.count(HostRecord.Result.SWITCHED), report.count(HostRecord.Result.UNCHANGED),
                report.count(HostRecord.Result.ROLLED_BACK), report.count(HostRecord.Result.FAILED) + report.invalid().size(),
                report.count(HostRecord.Result.NOT_SWITCHED), seconds(report.elapsed()));
        String id = report.rolloutId().map(i -> "rollout " + i + " ").orElse("");
        out.println(switch (report.outcome()) {
            case SUCCEEDED -> id + "succeeded.";
            case ROLLED_BACK -> id + "finished; the hosts that failed their checks were rolled back.";
            case INVALID -> "nothing deployed: " + report.reason();
            case FAILED -> id + "failed: " + report.reason();
            case HALTED -> id + "halted: " + report.reason();
            case AWAITING_APPROVAL -> id + "stopped: " + report.reason();
        });
        out.flush();
    }

    private static String summary(java.util.List<String> hosts) {
        return hosts.size() <= 8 ? String.join(", ", hosts) : String.join(", ", hosts.subList(0, 8)) + ", … (" + hosts.size() + " hosts)";
    }

    static String state(HostState s) {
        return s == HostState.FAILED ? "FAILED" : s.word();
    }

    static String word(HostRecord.Result r) {
        return r == HostRecord.Result.FAILED ? "FAILED" : r.word();
    }

    static String generation(HostRecord h) {
        int from = Math.max(0, h.fromGeneration());
        return switch (h.result()) {
            case SWITCHED -> from + " -> " + h.generation();
            case UNCHANGED -> String.valueOf(h.generation());
            case ROLLED_BACK -> h.generation() > 0 && h.generation() != from ? h.generation() + " -> " + from : String.valueOf(from);
            case FAILED, NOT_SWITCHED -> h.knowsOrigin() ? String.valueOf(from) : "-";
        };
    }

    static String detail(HostRecord h) {
        return switch (h.result()) {
            case SWITCHED -> h.pathsSent() + " path(s) sent, " + (h.toplevel().isEmpty() ? "generation " + h.generation() : h.toplevel());
            case UNCHANGED -> "already on " + (h.toplevel().isEmpty() ? "generation " + h.generation() : h.toplevel());
            case ROLLED_BACK -> h.reason();
            case FAILED -> "while " + h.failedStep().map(s -> s.verb()).orElse("switching") + ": " + h.reason();
            case NOT_SWITCHED -> "left " + h.state().word() + (h.detail().isEmpty() ? "" : ": " + h.detail());
        };
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + "B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1fK", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1fM", n / (1024.0 * 1024));
    }
}
