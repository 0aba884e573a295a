package dev.flotilla.controller.rollout.domain;

import dev.flotilla.deploy.HostResult;
import dev.flotilla.deploy.Stage;
import java.util.Optional;

/**
 * Where one host is in one rollout. The in-progress states follow the engine's stages in order; the
 * last five are terminal. Every allowed transition is decided here, by {@link #canMoveTo}.
 */
public enum HostState {
    PENDING,
    EVALUATING,
    BUILDING,
    CONNECTING,
    COPYING,
    SWITCHING,
    SWITCHED,
    UNCHANGED,
    ROLLED_BACK,
    FAILED,
    ABORTED;

    public boolean terminal() {
        return ordinal() >= SWITCHED.ordinal();
    }

    public boolean succeeded() {
        return this == SWITCHED || this == UNCHANGED;
    }

    /**
     * Terminal states never change. A host in progress moves forward through the stages, to any
     * terminal state, or back to {@code PENDING} when a restarted controller re-drives it.
     */
    public boolean canMoveTo(HostState next) {
        if (terminal() || next == this) {
            return false;
        }
        if (next == PENDING || next.terminal()) {
            return true;
        }
        return next.ordinal() > ordinal();
    }

    /** The in-progress state of an engine stage; empty for {@link Stage#DONE}, which a result follows. */
    public static Optional<HostState> of(Stage stage) {
        return switch (stage) {
            case EVALUATE -> Optional.of(EVALUATING);
            case BUILD -> Optional.of(BUILDING);
            case CONNECT -> Optional.of(CONNECTING);
            case COPY -> Optional.of(COPYING);
            case SWITCH -> Optional.of(SWITCHING);
            case DONE -> Optional.empty();
        };
    }

    /** The terminal state of an engine result; {@code aborted} when the failure was an abort. */
    public static HostState of(HostResult result, boolean aborted) {
        return switch (result) {
            case HostResult.Switched s -> SWITCHED;
            case HostResult.Unchanged u -> UNCHANGED;
            case HostResult.RolledBack r -> ROLLED_BACK;
            case HostResult.Failed f -> aborted ? ABORTED : FAILED;
        };
    }
}
