package dev.flotilla.agent.profile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The profile lock of spec §7.2: an exclusive {@code flock} on {@code <P>.lock}, deleted afterwards.
 * Like Nix, a holder marks the file before unlinking it, and a locker that finds the mark retries
 * on a fresh file, so deleting cannot let two holders in. A JVM-wide lock also guards against
 * {@link java.nio.channels.OverlappingFileLockException} between threads.
 */
final class ProfileLock implements AutoCloseable {
    private final ReentrantLock jvmLock;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private ProfileLock(ReentrantLock jvmLock, Path file, FileChannel channel, FileLock lock) {
        this.jvmLock = jvmLock;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    static ProfileLock acquire(ReentrantLock jvmLock, Path file) throws IOException {
        jvmLock.lock();
        try {
            while (true) {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.READ);
                FileLock lock = channel.lock();
                if (channel.size() == 0) {
                    return new ProfileLock(jvmLock, file, channel, lock);
                }
                lock.release();
                channel.close();  // a previous holder deleted this file: lock a fresh one
            }
        } catch (IOException | RuntimeException e) {
            jvmLock.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.write(ByteBuffer.wrap(new byte[] {'d'}), 0);
            Files.deleteIfExists(file);
            lock.release();
            channel.close();
        } finally {
            jvmLock.unlock();
        }
    }
}
