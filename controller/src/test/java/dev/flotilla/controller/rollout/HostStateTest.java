package dev.flotilla.controller.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.flotilla.controller.rollout.domain.HostState;
import dev.flotilla.controller.rollout.domain.RolloutState;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every transition of both state machines, checked against the rules written out once more here. */
class HostStateTest {

    private static final Set<HostState> IN_PROGRESS = EnumSet.of(HostState.EVALUATING, HostState.BUILDING,
            HostState.CONNECTING, HostState.COPYING, HostState.SWITCHING);

    @Test
    void hostTransitions() {
        for (HostState from : HostState.values()) {
            for (HostState to : HostState.values()) {
                boolean expected;
                if (from.terminal() || from == to) {
                    expected = false;
                } else if (to.terminal() || to == HostState.PENDING) {
                    expected = true;
                } else {
                    expected = IN_PROGRESS.contains(to) && to.ordinal() > from.ordinal();
                }
                assertEquals(expected, from.canMoveTo(to), from + " -> " + to);
            }
        }
        assertEquals(EnumSet.of(HostState.SWITCHED, HostState.UNCHANGED, HostState.ROLLED_BACK, HostState.FAILED, HostState.ABORTED),
                EnumSet.copyOf(java.util.Arrays.stream(HostState.values()).filter(HostState::terminal).toList()));
    }

    @Test
    void rolloutTransitions() {
        for (RolloutState from : RolloutState.values()) {
            for (RolloutState to : RolloutState.values()) {
                boolean expected = switch (from) {
                    case PENDING -> to != RolloutState.PENDING;
                    case RUNNING -> to.terminal();
                    default -> false;
                };
                assertEquals(expected, from.canMoveTo(to), from + " -> " + to);
            }
        }
        assertFalse(RolloutState.RUNNING.terminal());
    }
}
