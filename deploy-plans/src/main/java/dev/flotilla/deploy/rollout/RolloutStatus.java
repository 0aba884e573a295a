package dev.flotilla.deploy.rollout;

import java.util.Locale;

/** Where a rollout as a whole stands. */
public enum RolloutStatus {
    /** Started and not finished: running now, or interrupted (then resumable). */
    RUNNING(false),
    /** Stopped at an approval gate nobody answered; resumable once approved. */
    AWAITING_APPROVAL(false),
    /** Every target is on its new system (switched, or already there). */
    SUCCEEDED(true),
    /** Finished within its failure budgets, but some hosts failed their checks and were rolled back. */
    ROLLED_BACK(true),
    /** Some host could not be reached or copied to, or its rollback failed; for a copy failure nothing was switched. */
    FAILED(true),
    /** A failure budget (or maxUnavailable, or a refused approval) stopped it; the rollback policy has run. */
    HALTED(true);

    private final boolean finished;

    RolloutStatus(boolean finished) {
        this.finished = finished;
    }

    public boolean finished() {
        return finished;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static RolloutStatus parse(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
