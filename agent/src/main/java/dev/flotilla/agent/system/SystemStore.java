package dev.flotilla.agent.system;

/** What the switcher needs from the host's store: which toplevels are valid (fully registered). */
public interface SystemStore {

    /** The logical store directory, e.g. {@code /flotilla/store}. */
    String storeDir();

    /** Whether {@code storePath} (absolute, logical) is registered, with its closure, in this store. */
    boolean isValid(String storePath);
}
