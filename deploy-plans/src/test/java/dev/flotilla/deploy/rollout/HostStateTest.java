package dev.flotilla.deploy.rollout;

import static dev.flotilla.deploy.rollout.HostState.CHECKING;
import static dev.flotilla.deploy.rollout.HostState.CONFIRMED;
import static dev.flotilla.deploy.rollout.HostState.COPIED;
import static dev.flotilla.deploy.rollout.HostState.COPYING;
import static dev.flotilla.deploy.rollout.HostState.FAILED;
import static dev.flotilla.deploy.rollout.HostState.PENDING;
import static dev.flotilla.deploy.rollout.HostState.ROLLED_BACK;
import static dev.flotilla.deploy.rollout.HostState.ROLLING_BACK;
import static dev.flotilla.deploy.rollout.HostState.SWITCHING;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every (from, to) pair, against the table written out by hand. */
class HostStateTest {

    private static final Map<HostState, Set<HostState>> ALLOWED = Map.of(
            PENDING, EnumSet.of(COPYING, SWITCHING, FAILED),
            COPYING, EnumSet.of(COPIED, FAILED),
            COPIED, EnumSet.of(SWITCHING, FAILED),
            SWITCHING, EnumSet.of(CHECKING, FAILED),
            CHECKING, EnumSet.of(CONFIRMED, FAILED, ROLLING_BACK),
            CONFIRMED, EnumSet.of(ROLLING_BACK),
            FAILED, EnumSet.of(ROLLING_BACK),
            ROLLING_BACK, EnumSet.of(ROLLED_BACK, FAILED),
            ROLLED_BACK, EnumSet.noneOf(HostState.class));

    @Test
    void everyPairIsAllowedExactlyWhenTheTableSaysSo() {
        assertEquals(EnumSet.allOf(HostState.class), ALLOWED.keySet());
        int checked = 0;
        for (HostState from : HostState.values()) {
            for (HostState to : HostState.values()) {
                boolean expected = ALLOWED.get(from).contains(to);
                assertEquals(expected, from.canBecome(to), from + " -> " + to);
                if (expected) {
                    assertDoesNotThrow(() -> from.requireCanBecome("h", to));
                } else {
                    var e = assertThrows(IllegalStateException.class, () -> from.requireCanBecome("h", to));
                    assertEquals(true, e.getMessage().startsWith("host h: no transition from " + from.word()), e.getMessage());
                }
                checked++;
            }
        }
        assertEquals(81, checked);
    }

    @Test
    void rolledBackIsFinalAndNothingReturnsToPending() {
        assertEquals(Set.of(), ROLLED_BACK.next());
        for (HostState s : HostState.values()) {
            assertEquals(false, s.canBecome(PENDING), s + " -> pending");
            assertEquals(false, s.canBecome(s), s + " -> itself");
        }
        var e = assertThrows(IllegalStateException.class, () -> ROLLED_BACK.requireCanBecome("web-1", CONFIRMED));
        assertEquals("host web-1: no transition from rolled-back to confirmed (rolled-back is final)", e.getMessage());
    }

    @Test
    void wordsRoundTrip() {
        for (HostState s : HostState.values()) {
            assertEquals(s, HostState.parse(s.word()));
        }
        assertEquals("rolling-back", ROLLING_BACK.word());
    }

    @Test
    void classification() {
        assertEquals(EnumSet.of(CONFIRMED, FAILED, ROLLED_BACK), EnumSet.copyOf(
                java.util.Arrays.stream(HostState.values()).filter(HostState::settled).toList()));
        assertEquals(EnumSet.of(SWITCHING, CHECKING, CONFIRMED, ROLLING_BACK), EnumSet.copyOf(
                java.util.Arrays.stream(HostState.values()).filter(HostState::touched).toList()));
    }
}
