package dev.flotilla.store.copy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * An input stream read ahead by a thread of its own, so that the sender keeps streaming while the
 * reader is busy elsewhere (restoring files, fsyncing them). Memory is bounded: a fixed pool of
 * buffers circulates between the two threads. The end of {@code source}, or its failure, reaches
 * the reader after every byte read before it. {@link #close()} stops reading ahead; it does not
 * close {@code source}, but {@code onExit} runs on the reading thread when it stops, so that what
 * only that thread uses (a decoder) is released by it, never under its feet.
 */
final class AsyncInputStream extends InputStream {
    private record Chunk(byte[] buffer, int length, IOException failure) {
        boolean end() {
            return length < 0;
        }
    }

    private final InputStream source;
    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<Chunk> filled;
    private final Thread worker;
    private final Runnable onExit;
    private volatile boolean closed;
    private Chunk current;
    private int position;

    AsyncInputStream(InputStream source, Runnable onExit, String threadName, int bufferSize, int buffers) {
        this.source = source;
        this.onExit = onExit;
        this.free = new ArrayBlockingQueue<>(buffers);
        this.filled = new ArrayBlockingQueue<>(buffers + 1);
        for (int i = 0; i < buffers; i++) {
            free.add(new byte[bufferSize]);
        }
        this.worker = Thread.ofPlatform().daemon().name(threadName).start(this::fill);
    }

    private void fill() {
        try {
            while (!closed) {
                byte[] buffer = free.take();
                int n;
                try {
                    n = source.read(buffer, 0, buffer.length);
                } catch (IOException e) {
                    filled.put(new Chunk(null, -1, e));
                    return;
                } catch (RuntimeException e) {
                    filled.put(new Chunk(null, -1, new IOException(e)));
                    return;
                }
                filled.put(new Chunk(buffer, n, null));
                if (n < 0) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed
        } finally {
            onExit.run();
        }
    }

    @Override
    public int read() throws IOException {
        if (current != null && !current.end() && position < current.length() && !closed) {
            return current.buffer()[position++] & 0xFF;
        }
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (closed) {
            throw new IOException("stream closed");
        }
        if (current == null || (!current.end() && position == current.length())) {
            next();
        }
        if (current.end()) {
            if (current.failure() != null) {
                throw current.failure();
            }
            return -1;
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.buffer(), position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return current == null || current.end() ? 0 : current.length() - position;
    }

    private void next() throws IOException {
        if (current != null && current.buffer() != null) {
            free.offer(current.buffer());
        }
        try {
            current = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while receiving");
        }
        position = 0;
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
