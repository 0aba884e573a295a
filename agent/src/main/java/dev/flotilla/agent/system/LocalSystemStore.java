package dev.flotilla.agent.system;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.store.GarbageCollector;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.StorePath;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    @Override
    public long closureSize(String storePath) {
        try {
            Set<StorePath> closure = store.closure(List.of(StorePath.parse(store.storeDir(), storePath)));
            long total = 0;
            for (StorePath p : closure) {
                total += store.info(p).map(i -> i.narSize()).orElse(0L);
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Runs store-copy's {@link GarbageCollector} over the host's GC roots. */
    @Override
    public Optional<String> collectGarbage() {
        try {
            GarbageCollector.Result result = new GarbageCollector(store).collect(List.of(), false);
            return Optional.of("deleted " + result.dead().size() + " store path(s), " + result.narBytes() + " bytes");
        } catch (IOException | RuntimeException e) {
            throw new AgentException(Kind.INTERNAL, "garbage collection failed: " + e.getMessage(), e);
        }
    }
}
