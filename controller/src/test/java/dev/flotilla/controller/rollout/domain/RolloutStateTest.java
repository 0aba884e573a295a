package dev.flotilla.controller.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flotilla.deploy.rollout.RolloutStatus;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every pair of rollout states, and where each engine outcome leaves a rollout. */
class RolloutStateTest {

    private static Set<RolloutState> allowedFrom(RolloutState from) {
        return switch (from) {
            case PENDING -> EnumSet.complementOf(EnumSet.of(RolloutState.PENDING));
            case RUNNING -> EnumSet.complementOf(EnumSet.of(RolloutState.PENDING, RolloutState.RUNNING));
            case AWAITING_APPROVAL, PAUSED -> EnumSet.of(RolloutState.RUNNING, RolloutState.PENDING, RolloutState.ABORTED);
            case SUCCEEDED, ROLLED_BACK, FAILED, HALTED, ABORTED -> EnumSet.noneOf(RolloutState.class);
        };
    }

    @ParameterizedTest
    @EnumSource(RolloutState.class)
    void transitionsAreExactlyTheListedOnes(RolloutState from) {
        for (RolloutState to : RolloutState.values()) {
            assertEquals(allowedFrom(from).contains(to), from.canMoveTo(to), from + " -> " + to);
        }
        assertEquals(from.terminal(), allowedFrom(from).isEmpty(), from + " is terminal exactly when it has no way out");
    }

    @Test
    void waitingStatesAreApprovalAndPause() {
        for (RolloutState s : RolloutState.values()) {
            assertEquals(s == RolloutState.AWAITING_APPROVAL || s == RolloutState.PAUSED, s.waiting(), s.name());
        }
    }

    @Test
    void anEngineOutcomeMapsOntoARolloutState() {
        assertEquals(RolloutState.SUCCEEDED, RolloutState.after(RolloutStatus.SUCCEEDED, false, false));
        assertEquals(RolloutState.ROLLED_BACK, RolloutState.after(RolloutStatus.ROLLED_BACK, true, true));
        assertEquals(RolloutState.FAILED, RolloutState.after(RolloutStatus.FAILED, false, false));
        assertEquals(RolloutState.HALTED, RolloutState.after(RolloutStatus.HALTED, false, false));
        assertEquals(RolloutState.ABORTED, RolloutState.after(RolloutStatus.HALTED, true, false), "a halt an operator asked for");
        assertEquals(RolloutState.AWAITING_APPROVAL, RolloutState.after(RolloutStatus.AWAITING_APPROVAL, false, true));
        assertEquals(RolloutState.PAUSED, RolloutState.after(RolloutStatus.RUNNING, false, true), "a run stopped by a pause");
        assertEquals(RolloutState.RUNNING, RolloutState.after(RolloutStatus.RUNNING, false, false), "a run stopped otherwise resumes");
    }
}
