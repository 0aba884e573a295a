package dev.flotilla.deploy.fleet;

import dev.flotilla.inventory.Host;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Evaluates and builds many hosts of a fleet, a bounded number at a time; one host's failure stops no other. */
public final class FleetBuild {
    private FleetBuild() {}

    /** One host's outcome: its toplevel, or why not. */
    public sealed interface Result {
        String host();

        Duration took();

        record Built(String host, PathInfo toplevel, Duration took) implements Result {}

        record Failed(String host, FleetException error, Duration took) implements Result {}
    }

    /** Called as each host finishes (from worker threads, one call at a time). */
    @FunctionalInterface
    public interface Listener {
        void finished(Result result);
    }

    /** Builds {@code hosts} with at most {@code parallel} at once; results in the order of {@code hosts}. */
    public static List<Result> run(FleetConfig fleet, List<Host> hosts, LocalStore store, SigningKey signer,
                                   int parallel, Listener listener) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        Object lock = new Object();
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (Host h : hosts) {
                futures.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    Result r;
                    try {
                        r = new Result.Built(h.name(), fleet.build(h.name(), store, signer), since(t0));
                    } catch (FleetException e) {
                        r = new Result.Failed(h.name(), e, since(t0));
                    } catch (RuntimeException e) {
                        r = new Result.Failed(h.name(), new FleetException(FleetException.Kind.BUILD,
                                "host " + h.name() + ": " + FleetConfig.describe(e), e), since(t0));
                    }
                    synchronized (lock) {
                        listener.finished(r);
                    }
                    return r;
                }));
            }
            List<Result> out = new ArrayList<>();
            for (Future<Result> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
