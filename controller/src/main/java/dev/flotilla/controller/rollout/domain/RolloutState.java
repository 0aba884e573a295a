package dev.flotilla.controller.rollout.domain;

/** A rollout's life: waiting, running, then one terminal outcome. */
public enum RolloutState {
    PENDING,
    RUNNING,
    /** Every host switched or was already up to date. */
    SUCCEEDED,
    /** Some host failed or rolled back. */
    FAILED,
    /** Stopped by request: hosts not yet switching were left alone. */
    ABORTED;

    public boolean terminal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }

    public boolean canMoveTo(RolloutState next) {
        return switch (this) {
            case PENDING -> next != PENDING;
            case RUNNING -> next.terminal();
            case SUCCEEDED, FAILED, ABORTED -> false;
        };
    }
}
