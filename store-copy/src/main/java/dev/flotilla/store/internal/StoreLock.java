package dev.flotilla.store.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises registrations in one store across threads and processes. A file lock alone is not
 * enough: the JVM holds file locks per process, so threads also share one in-process lock per file.
 * Only the short registration step runs under it; restoring content happens before, in parallel.
 */
public final class StoreLock {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock local;

    public StoreLock(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.local = IN_PROCESS.computeIfAbsent(this.file, f -> new ReentrantLock());
    }

    /** Something to do while holding the lock. */
    @FunctionalInterface
    public interface Body<T> {
        T run() throws IOException;
    }

    /** Runs {@code body} holding the lock. */
    public <T> T locked(Body<T> body) throws IOException {
        Held held = acquire();
        try {
            return body.run();
        } finally {
            held.close();
        }
    }

    public Held acquire() throws IOException {
        local.lock();
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return new Held(ch, ch.lock());
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /** The held lock; closing releases it. */
    public final class Held implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try (channel) {
                lock.release();
            } finally {
                local.unlock();
            }
        }
    }
}
