package dev.flotilla.agent.state;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One host-wide lock for everything that changes the host (switch, confirm, rollback, generation
 * deletion): a re-entrant JVM lock plus an exclusive {@code flock} on {@code R/flotilla/var/agent.lock},
 * so an agent server, {@code serve --stdio} processes and local CLI commands never interleave. The
 * lock file is never deleted (the kernel drops the flock when a holder dies, even by kill -9).
 */
public final class HostLock {
    private static final Map<Path, HostLock> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock jvmLock = new ReentrantLock();
    private FileChannel channel;
    private FileLock fileLock;

    private HostLock(Path file) {
        this.file = file;
    }

    /** The lock of the host whose state lives in {@code varDir} (one instance per path in a JVM). */
    public static HostLock of(Path varDir) {
        Path file = varDir.toAbsolutePath().normalize().resolve("agent.lock");
        return LOCKS.computeIfAbsent(file, HostLock::new);
    }

    /** A held lock; close to release. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    public Held acquire() {
        jvmLock.lock();
        try {
            if (jvmLock.getHoldCount() == 1) {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                fileLock = channel.lock();
            }
        } catch (IOException | RuntimeException e) {
            closeChannel();
            jvmLock.unlock();
            throw new AgentException(Kind.INTERNAL, "cannot lock " + file + ": " + e.getMessage(), e);
        }
        return this::release;
    }

    private void release() {
        try {
            if (jvmLock.getHoldCount() == 1) {
                closeChannel();
            }
        } finally {
            jvmLock.unlock();
        }
    }

    private void closeChannel() {
        try {
            if (fileLock != null) {
                fileLock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // closing the channel drops the lock anyway
        } finally {
            fileLock = null;
            channel = null;
        }
    }
}
