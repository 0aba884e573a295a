package dev.flotilla.deploy.rollout;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * Saves a rollout's snapshots on its own thread, so host workers never wait for an fsync: a burst of
 * transitions becomes one write of the latest snapshot. {@link #flush()} waits until everything asked
 * before it is durable; the engine flushes at stage boundaries, before it waits, and at the end.
 */
final class SnapshotWriter implements AutoCloseable {

    private final RolloutStore store;
    private final Supplier<RolloutRecord> snapshot;
    private final Thread thread;
    private long requested;
    private long written;
    private IOException failure;
    private boolean closed;
    private boolean abandoned;

    SnapshotWriter(RolloutStore store, Supplier<RolloutRecord> snapshot) {
        this.store = store;
        this.snapshot = snapshot;
        this.thread = Thread.ofVirtual().name("rollout-snapshot-writer").start(this::loop);
    }

    synchronized void request() {
        requested++;
        notifyAll();
    }

    /** Waits until every snapshot requested so far (and the current state) is saved. */
    void flush() throws IOException, InterruptedException {
        synchronized (this) {
            long target = ++requested;
            notifyAll();
            while (written < target && failure == null && !abandoned) {
                wait();
            }
            if (failure != null) {
                throw new IOException("cannot save the rollout: " + failure.getMessage(), failure);
            }
        }
    }

    /** Stops without writing what is pending, like a process that was killed. */
    synchronized void abandon() {
        abandoned = true;
        closed = true;
        notifyAll();
    }

    private void loop() {
        while (true) {
            long target;
            synchronized (this) {
                while (requested == written && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (abandoned || closed && requested == written) {
                    return;
                }
                target = requested;
            }
            try {
                store.save(snapshot.get());
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                }
            }
            synchronized (this) {
                written = Math.max(written, target);
                notifyAll();
            }
        }
    }

    /** Writes what is pending, then stops. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
