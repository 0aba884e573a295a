package dev.flotilla.agent.system;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Magic-rollback deadlines: one daemon thread, started on first use, running {@code action(token)} at each deadline. */
final class ConfirmTimer implements AutoCloseable {
    private final Map<String, ScheduledFuture<?>> scheduled = new HashMap<>();
    private ScheduledThreadPoolExecutor executor;

    synchronized void schedule(String token, Instant deadline, Consumer<String> action) {
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("flotilla-confirm-timer").unstarted(r));
            executor.setRemoveOnCancelPolicy(true);
        }
        long delay = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        scheduled.put(token, executor.schedule(() -> {
            try {
                action.accept(token);
            } finally {
                done(token);
            }
        }, delay, TimeUnit.MILLISECONDS));
    }

    private synchronized void done(String token) {
        scheduled.remove(token);
        notifyAll();
    }

    synchronized boolean isScheduled(String token) {
        return scheduled.containsKey(token);
    }

    synchronized void cancel(String token) {
        ScheduledFuture<?> f = scheduled.remove(token);
        if (f != null) {
            f.cancel(false);
        }
        notifyAll();
    }

    synchronized void awaitIdle() throws InterruptedException {
        while (!scheduled.isEmpty()) {
            wait();
        }
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
        scheduled.clear();
        notifyAll();
    }
}
