package dev.flotilla.controller.rollout.service;

import dev.flotilla.deploy.SystemSource;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Builds the systems of a rollout's hosts, a few at a time, before the engine runs: every host's
 * configuration sees the whole inventory. Builds are deterministic, so a replica that takes a rollout
 * over builds the same store paths again in its own store.
 *
 * @param toplevels each built host's toplevel
 * @param failures  each host that could not be built, and why
 */
record SystemBuilds(Map<String, String> toplevels, Map<String, String> failures) {

    static SystemBuilds of(SystemSource source, List<Host> hosts, int parallelism) throws InterruptedException {
        try {
            return build(source, hosts, parallelism);
        } finally {
            if (source instanceof AutoCloseable c) {
                // A fleet's source holds evaluation threads.
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static SystemBuilds build(SystemSource source, List<Host> hosts, int parallelism) throws InterruptedException {
        Inventory inventory = new Inventory(hosts);
        Map<String, Future<String>> building = new LinkedHashMap<>();
        Semaphore slots = new Semaphore(Math.max(1, parallelism));
        Map<String, String> toplevels = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Host h : hosts) {
                building.put(h.name(), pool.submit(() -> {
                    slots.acquire();
                    try {
                        return source.build(h, inventory).absolute();
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (var e : building.entrySet()) {
                try {
                    toplevels.put(e.getKey(), e.getValue().get());
                } catch (ExecutionException ex) {
                    Throwable cause = ex.getCause();
                    failures.put(e.getKey(), cause.getMessage() == null ? cause.toString() : cause.getMessage());
                }
            }
        }
        return new SystemBuilds(toplevels, failures);
    }
}
