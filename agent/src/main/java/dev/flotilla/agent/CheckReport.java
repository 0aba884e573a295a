package dev.flotilla.agent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The health of the system active on a host now, as the {@code check} request reports it.
 *
 * @param toplevel   the active system that was checked
 * @param generation the newest generation holding {@code toplevel}, or 0 when none does (a {@code test} activation)
 * @param healthy    whether every check passed (true when the system declares none)
 * @param checks     every check's verdict, in manifest order
 */
public record CheckReport(String toplevel, int generation, boolean healthy, List<CheckResult> checks) {
    public CheckReport {
        Objects.requireNonNull(toplevel, "toplevel");
        checks = List.copyOf(checks);
        if (healthy != checks.stream().allMatch(CheckResult::healthy)) {
            throw new IllegalArgumentException("healthy=" + healthy + " contradicts the checks " + checks);
        }
    }

    /** A report over {@code checks}, healthy when all of them are. */
    public static CheckReport of(String toplevel, int generation, List<CheckResult> checks) {
        return new CheckReport(toplevel, generation, checks.stream().allMatch(CheckResult::healthy), checks);
    }

    /** The first check that failed, in manifest order. */
    public Optional<CheckResult> firstFailure() {
        return checks.stream().filter(c -> !c.healthy()).findFirst();
    }
}
