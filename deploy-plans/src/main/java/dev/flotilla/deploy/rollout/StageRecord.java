package dev.flotilla.deploy.rollout;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One plan stage of a rollout, as stored.
 *
 * @param approved   an operator approved it (so a resumed rollout does not ask again)
 * @param pauseUntil when the pause after it ends, once it has started
 */
public record StageRecord(String name, Status status, boolean approved, Optional<Instant> pauseUntil) {

    public enum Status {
        PENDING, RUNNING, DONE;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public StageRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        pauseUntil = Objects.requireNonNullElse(pauseUntil, Optional.empty());
    }

    public static StageRecord pending(String name) {
        return new StageRecord(name, Status.PENDING, false, Optional.empty());
    }

    StageRecord with(Status s) {
        return new StageRecord(name, s, approved, pauseUntil);
    }

    StageRecord approve() {
        return new StageRecord(name, status, true, pauseUntil);
    }

    StageRecord pausedUntil(Instant until) {
        return new StageRecord(name, status, approved, Optional.of(until));
    }
}
