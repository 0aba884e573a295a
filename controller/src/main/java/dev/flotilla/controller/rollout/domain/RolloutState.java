package dev.flotilla.controller.rollout.domain;

import dev.flotilla.deploy.rollout.RolloutStatus;

/**
 * A rollout's life in the controller: queued, driven by a replica, stopped waiting for an operator
 * (approval, pause), then one terminal outcome. The outcomes are the engine's ({@link RolloutStatus}),
 * plus {@code ABORTED}: an operator stopped it.
 */
public enum RolloutState {
    /** Queued: no replica drives it yet. */
    PENDING,
    /** A replica drives it (or will resume it: its lease tells). */
    RUNNING,
    /** Stopped at an approval gate until an operator approves the stage. */
    AWAITING_APPROVAL,
    /** Stopped by an operator; resumable. */
    PAUSED,
    /** Every host is on its new system. */
    SUCCEEDED,
    /** Finished within its failure budgets; some hosts failed their checks and were rolled back. */
    ROLLED_BACK,
    /** A copy failed (nothing switched), a host could not be rolled back, or its systems could not be built. */
    FAILED,
    /** A failure budget, maxUnavailable or a refused approval stopped it; its rollback policy ran. */
    HALTED,
    /** Stopped by an operator for good: no host started after the request; its rollback policy ran. */
    ABORTED;

    public boolean terminal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }

    /** Nobody drives it until an operator acts. */
    public boolean waiting() {
        return this == AWAITING_APPROVAL || this == PAUSED;
    }

    public boolean canMoveTo(RolloutState next) {
        return switch (this) {
            case PENDING -> next != PENDING;
            case RUNNING -> next != RUNNING && next != PENDING;
            case AWAITING_APPROVAL, PAUSED -> next == RUNNING || next == PENDING || next == ABORTED;
            case SUCCEEDED, ROLLED_BACK, FAILED, HALTED, ABORTED -> false;
        };
    }

    /** Where a run of the engine that ended with {@code status} leaves the rollout. */
    public static RolloutState after(RolloutStatus status, boolean abortRequested, boolean pauseRequested) {
        return switch (status) {
            case SUCCEEDED -> SUCCEEDED;
            case ROLLED_BACK -> ROLLED_BACK;
            case FAILED -> FAILED;
            case HALTED -> abortRequested ? ABORTED : HALTED;
            case AWAITING_APPROVAL -> AWAITING_APPROVAL;
            case RUNNING -> pauseRequested ? PAUSED : RUNNING;
        };
    }
}
