package dev.flotilla.store.copy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An output stream whose writes to {@code target} happen on a thread of its own, so that producing
 * the data (reading files, serialising NARs) overlaps consuming it (compressing, encrypting, sending).
 * Memory is bounded: a fixed pool of buffers circulates between the two threads, and the producer
 * waits when all are in flight.
 *
 * <p>{@link #flush()} returns once everything written so far went through {@code target.flush()};
 * {@link #close()} runs the {@code finish} action on the worker instead (say, end a compressed
 * frame, then flush) and does not close {@code target}. A failure of the worker is rethrown to the producer by the
 * next write, flush or close. {@link #abort()} stops the worker without writing what is pending.
 */
final class AsyncOutputStream extends OutputStream {
    /** Runs on the worker after the last write when the stream is closed. */
    @FunctionalInterface
    interface Finish {
        void run() throws IOException;
    }

    private record Item(byte[] buffer, int length, CompletableFuture<Void> done, boolean last) {
    }

    private final OutputStream target;
    private final Finish finish;
    private final Finish release;
    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<Item> pending;
    private final Thread worker;
    private volatile Throwable failure;
    private volatile boolean aborted;
    private byte[] current;
    private int position;
    private boolean closed;

    /**
     * @param finish  on close, after the last write: must flush {@code target}
     * @param release when the worker ends after an abort or a failure: free resources, write nothing
     */
    AsyncOutputStream(OutputStream target, Finish finish, Finish release, String threadName, int bufferSize, int buffers) {
        this.target = target;
        this.finish = finish;
        this.release = release;
        this.free = new ArrayBlockingQueue<>(buffers);
        this.pending = new ArrayBlockingQueue<>(buffers + 2);
        for (int i = 0; i < buffers; i++) {
            free.add(new byte[bufferSize]);
        }
        this.current = free.poll();
        this.worker = Thread.ofPlatform().daemon().name(threadName).start(this::drain);
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (position == current.length) {
            handOver(null, false);
        }
        current[position++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        while (len > 0) {
            if (position == current.length) {
                handOver(null, false);
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(b, off, current, position, n);
            position += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        CompletableFuture<Void> done = new CompletableFuture<>();
        handOver(done, false);
        await(done);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        handOver(done, true);
        await(done);
    }

    /** Stops the worker at once, dropping what is pending; for failure paths. Never blocks. */
    void abort() {
        aborted = true;
        closed = true;
        pending.clear();
        pending.offer(new Item(null, 0, null, true));
        worker.interrupt();
    }

    /** Queues the current buffer (possibly empty) with an optional completion marker, and takes a fresh one. */
    private void handOver(CompletableFuture<Void> done, boolean last) throws IOException {
        checkHealthy();
        try {
            pending.put(new Item(current, position, done, last));
            current = last ? null : free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending");
        }
        position = 0;
        checkHealthy();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }

    private void checkHealthy() throws IOException {
        Throwable f = failure;
        if (f != null) {
            throw asIOException(f);
        }
    }

    private void await(CompletableFuture<Void> done) throws IOException {
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending");
        } catch (ExecutionException e) {
            throw asIOException(e.getCause());
        }
    }

    private void drain() {
        try {
            drainItems();
        } finally {
            if (aborted || failure != null) {
                try {
                    release.run();
                } catch (Throwable ignored) {
                    // best effort: the stream is being abandoned
                }
            }
        }
    }

    private void drainItems() {
        while (true) {
            Item item;
            try {
                item = pending.take();
            } catch (InterruptedException e) {
                if (aborted) {
                    return;
                }
                continue;
            }
            if (aborted) {
                return;
            }
            try {
                if (failure == null) {
                    if (item.length() > 0) {
                        target.write(item.buffer(), 0, item.length());
                    }
                    if (item.last()) {
                        finish.run();
                    } else if (item.done() != null) {
                        target.flush();
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
            if (item.buffer() != null) {
                free.offer(item.buffer()); // even after a failure, so that a producer waiting for room wakes up
            }
            if (item.done() != null) {
                if (failure == null) {
                    item.done().complete(null);
                } else {
                    item.done().completeExceptionally(failure);
                }
            }
            if (item.last()) {
                return;
            }
        }
    }

    private static IOException asIOException(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IOException(t);
    }
}
