package dev.flotilla.deploy.rollout;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where one host is in a rollout. Every allowed transition is listed in {@link #next()}, and only there:
 *
 * <pre>
 * pending ─► copying ─► copied ─► switching ─► checking ─► confirmed      the way forward
 * pending ─► switching                                    a rollback: its generation is already on the host
 * pending, copying, copied, switching, checking ─► failed
 * failed ─► rolling-back ─► rolled-back                   a host that failed at or after its switch
 * checking, confirmed ─► rolling-back                     a rollback policy undoing a good host
 * rolling-back ─► failed                                  the rollback itself failed
 * </pre>
 *
 * A host that failed before its switch stays {@code failed}: nothing changed on it. {@code rolled-back} is
 * final; no state returns to {@code pending} or to itself.
 */
public enum HostState {
    PENDING,
    COPYING,
    COPIED,
    SWITCHING,
    CHECKING,
    CONFIRMED,
    FAILED,
    ROLLING_BACK,
    ROLLED_BACK;

    /** The states this one may move to. */
    public Set<HostState> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(COPYING, SWITCHING, FAILED);
            case COPYING -> EnumSet.of(COPIED, FAILED);
            case COPIED -> EnumSet.of(SWITCHING, FAILED);
            case SWITCHING -> EnumSet.of(CHECKING, FAILED);
            case CHECKING -> EnumSet.of(CONFIRMED, FAILED, ROLLING_BACK);
            case CONFIRMED -> EnumSet.of(ROLLING_BACK);
            case FAILED -> EnumSet.of(ROLLING_BACK);
            case ROLLING_BACK -> EnumSet.of(ROLLED_BACK, FAILED);
            case ROLLED_BACK -> EnumSet.noneOf(HostState.class);
        };
    }

    public boolean canBecome(HostState to) {
        return next().contains(to);
    }

    /** Throws unless {@code this → to} is an allowed transition. */
    public void requireCanBecome(String host, HostState to) {
        if (!canBecome(to)) {
            throw new IllegalStateException("host " + host + ": no transition from " + word() + " to " + to.word()
                    + (next().isEmpty() ? " (" + word() + " is final)" : "; allowed: " + next()));
        }
    }

    /** Nothing more will happen to the host in this rollout unless a rollback policy acts on it. */
    public boolean settled() {
        return this == CONFIRMED || this == FAILED || this == ROLLED_BACK;
    }

    /** The host's system may differ from what it ran before the rollout (it has been, or is being, switched). */
    public boolean touched() {
        return this == SWITCHING || this == CHECKING || this == CONFIRMED || this == ROLLING_BACK;
    }

    /** Lower case with dashes, as progress output and JSON show it: {@code rolling-back}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static HostState parse(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
