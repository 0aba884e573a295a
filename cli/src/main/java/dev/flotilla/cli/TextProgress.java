package dev.flotilla.cli;

import dev.flotilla.deploy.DeployReport;
import dev.flotilla.deploy.HostResult;
import dev.flotilla.deploy.Stage;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;

/** One line per host and stage, like colmena's log view, then a summary table. */
final class TextProgress implements Progress {

    private final PrintStream out;
    private final int width;

    TextProgress(PrintStream out, Collection<String> hosts) {
        this.out = out;
        this.width = Math.max(8, hosts.stream().mapToInt(String::length).max().orElse(8));
    }

    @Override
    public synchronized void stage(String host, Stage stage, Duration elapsed, String detail) {
        if (stage == Stage.EVALUATE || stage == Stage.BUILD || stage == Stage.CONNECT) {
            // Central and quick, or about to become "copying": lines here would only be noise.
            return;
        }
        out.printf("%-" + width + "s  %-11s %6s  %s%n", host, stage.verb(), seconds(elapsed), detail);
        out.flush();
    }

    @Override
    public synchronized void finished(HostResult r) {
        out.printf("%-" + width + "s  %-11s %6s  %s%n", r.host(), word(r), seconds(r.elapsed()), detail(r));
        out.flush();
    }

    @Override
    public void report(DeployReport report) {
        out.println();
        out.printf("%-" + width + "s  %-11s %10s %7s  %s%n", "HOST", "RESULT", "GENERATION", "COPIED", "DETAIL");
        for (HostResult r : report.results()) {
            out.printf("%-" + width + "s  %-11s %10s %7s  %s%n", r.host(), word(r), generation(r),
                    bytes(r.transfer().bytesSent()), detail(r));
        }
        out.printf("%n%d switched, %d unchanged, %d rolled back, %d failed in %s%n",
                report.count(HostResult.Switched.class), report.count(HostResult.Unchanged.class),
                report.count(HostResult.RolledBack.class), report.count(HostResult.Failed.class), seconds(report.elapsed()));
    }

    static String word(HostResult r) {
        return switch (r) {
            case HostResult.Switched s -> "switched";
            case HostResult.Unchanged u -> "unchanged";
            case HostResult.RolledBack b -> "rolled-back";
            case HostResult.Failed f -> "FAILED";
        };
    }

    static String generation(HostResult r) {
        return switch (r) {
            case HostResult.Switched s -> s.fromGeneration() + " -> " + s.toGeneration();
            case HostResult.Unchanged u -> String.valueOf(u.generation());
            case HostResult.RolledBack b -> b.failedGeneration() + " -> " + b.generation();
            case HostResult.Failed f -> "-";
        };
    }

    static String detail(HostResult r) {
        return switch (r) {
            case HostResult.Switched s -> s.transfer().pathsSent() + " path(s) sent, " + s.toplevel();
            case HostResult.Unchanged u -> "already on " + u.toplevel();
            case HostResult.RolledBack b -> b.reason();
            case HostResult.Failed f -> "while " + f.stage().verb() + ": " + f.reason();
        };
    }

    static String seconds(Duration d) {
        return String.format("%.1fs", d.toMillis() / 1000.0);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + "B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.1fK", n / 1024.0);
        }
        return String.format("%.1fM", n / (1024.0 * 1024));
    }
}
