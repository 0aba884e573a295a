package dev.flotilla.agent.system;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Magic-rollback deadlines, running {@code action(token)} at each deadline: on a daemon thread of its own, started
 * on first use, or, when many agents share a process (the fleet simulator), on a virtual thread started by a
 * shared scheduler, so that one host's slow rollback never delays another's and idle hosts hold no thread.
 */
final class ConfirmTimer implements AutoCloseable {
    private final Map<String, ScheduledFuture<?>> scheduled = new HashMap<>();
    private final Optional<ScheduledExecutorService> shared;
    private ScheduledThreadPoolExecutor executor;

    ConfirmTimer(Optional<ScheduledExecutorService> shared) {
        this.shared = shared;
    }

    synchronized void schedule(String token, Instant deadline, Consumer<String> action) {
        long delay = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        Runnable fire = () -> {
            try {
                action.accept(token);
            } finally {
                done(token);
            }
        };
        if (shared.isPresent()) {
            scheduled.put(token, shared.get().schedule(() -> Thread.ofVirtual().name("flotilla-confirm-timer").start(fire),
                    delay, TimeUnit.MILLISECONDS));
            return;
        }
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("flotilla-confirm-timer").unstarted(r));
            executor.setRemoveOnCancelPolicy(true);
        }
        scheduled.put(token, executor.schedule(fire, delay, TimeUnit.MILLISECONDS));
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
        scheduled.values().forEach(f -> f.cancel(false));  // a shared scheduler lives on: only our deadlines go
        scheduled.clear();
        notifyAll();
    }
}
