package dev.flotilla.agent.profile;

import java.time.Instant;
import java.util.Objects;

/**
 * One generation link {@code <profile>-<number>-link -> storePath}.
 *
 * @param number    ≥ 1
 * @param storePath the link's absolute target (a logical store path)
 * @param created   the link's {@code lstat} mtime
 */
public record Generation(int number, String storePath, Instant created) {
    public Generation {
        if (number < 1) {
            throw new IllegalArgumentException("generation numbers start at 1, got " + number);
        }
        Objects.requireNonNull(storePath, "storePath");
        Objects.requireNonNull(created, "created");
    }
}
