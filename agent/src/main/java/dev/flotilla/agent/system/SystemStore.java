package dev.flotilla.agent.system;

import java.util.Optional;

/** What the switcher needs from the host's store: which toplevels are valid (fully registered). */
public interface SystemStore {

    /** The logical store directory, e.g. {@code /flotilla/store}. */
    String storeDir();

    /** Whether {@code storePath} (absolute, logical) is registered, with its closure, in this store. */
    boolean isValid(String storePath);

    /** The NAR size of {@code storePath}'s closure in bytes, or -1 when unknown. */
    default long closureSize(String storePath) {
        return -1;
    }

    /** Deletes what no GC root reaches; a one-line summary, or empty when this store cannot collect. */
    default Optional<String> collectGarbage() {
        return Optional.empty();
    }
}
