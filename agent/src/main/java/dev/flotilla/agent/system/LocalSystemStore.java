package dev.flotilla.agent.system;

import dev.flotilla.store.LocalStore;
import dev.flotilla.store.StorePath;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link SystemStore} backed by the host's {@link LocalStore}. */
public final class LocalSystemStore implements SystemStore {
    private static final String COLLECTOR = "dev.flotilla.store.GarbageCollector";

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

    /**
     * Runs store-copy's {@code GarbageCollector} when the store-copy on the class path has one
     * (looked up by name: it is newer than this agent's oldest supported store-copy).
     */
    @Override
    public Optional<String> collectGarbage() {
        Class<?> type;
        try {
            type = Class.forName(COLLECTOR);
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
        try {
            Object collector = type.getConstructor(LocalStore.class).newInstance(store);
            Object result = type.getMethod("collect", java.util.Collection.class, boolean.class).invoke(collector, List.of(), false);
            List<?> dead = (List<?>) result.getClass().getMethod("dead").invoke(result);
            long bytes = (Long) result.getClass().getMethod("narBytes").invoke(result);
            return Optional.of("deleted " + dead.size() + " store path(s), " + bytes + " bytes");
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new dev.flotilla.agent.AgentException(dev.flotilla.agent.AgentException.Kind.INTERNAL,
                    "garbage collection failed: " + cause.getMessage(), cause);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return Optional.empty();  // a GarbageCollector of another shape: skip
        }
    }
}
