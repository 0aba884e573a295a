package dev.flotilla.agent;

import java.util.List;
import java.util.Optional;

/**
 * What {@code delete-generations} did.
 *
 * @param deleted the generation numbers deleted
 * @param gc      the garbage collection's summary, when one was asked for and the store supports it
 */
public record GenerationsDeleted(List<Integer> deleted, Optional<String> gc) {
    public GenerationsDeleted {
        deleted = List.copyOf(deleted);
    }
}
