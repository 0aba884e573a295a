package dev.flotilla.agent.system;

import dev.flotilla.store.LocalStore;
import dev.flotilla.store.StorePath;

/** {@link SystemStore} backed by the host's {@link LocalStore}. */
public final class LocalSystemStore implements SystemStore {
    private final LocalStore store;

    public LocalSystemStore(LocalStore store) {
        this.store = store;
    }

    @Override
    public String storeDir() {
        return store.storeDir().path();
    }

    @Override
    public boolean isValid(String storePath) {
        try {
            return store.isValid(StorePath.parse(store.storeDir(), storePath));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
