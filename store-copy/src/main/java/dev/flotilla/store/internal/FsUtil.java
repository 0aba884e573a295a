package dev.flotilla.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** File-system helpers for durable, atomic store writes. Internal to the store module. */
public final class FsUtil {
    public static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");
    public static final Set<PosixFilePermission> READ_EXEC = PosixFilePermissions.fromString("r-xr-xr-x");
    private static final Set<PosixFilePermission> OWNER_ALL = PosixFilePermissions.fromString("rwx------");
    /** Nix sets every store file's mtime to 1 so that builds do not depend on when paths arrived. */
    public static final FileTime STORE_MTIME = FileTime.fromMillis(1000);

    private FsUtil() {
    }

    /** Deletes a file or tree, making read-only directories writable first. Missing is fine. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.setPosixFilePermissions(dir, OWNER_ALL);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Best effort {@link #deleteTree}, for cleanup paths where a first error is already being reported. */
    public static void deleteQuietly(Path root, Throwable reportTo) {
        try {
            deleteTree(root);
        } catch (IOException | RuntimeException e) {
            if (reportTo != null) {
                reportTo.addSuppressed(e);
            }
        }
    }

    private static volatile boolean syncfsWorks = true;

    /**
     * Flushes the whole file system holding {@code dir} ({@code syncfs(2)}, through coreutils'
     * {@code sync -f}, since the JDK has no call for it). One such flush costs about what one fsync
     * does, where batches of fsyncs cost one flush each; returns false if it could not be done, and
     * the caller must then fsync what it wrote one by one.
     */
    public static boolean syncFileSystem(Path dir) {
        if (!syncfsWorks) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("sync", "-f", dir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() == 0) {
                return true;
            }
        } catch (IOException e) {
            // no sync command here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        syncfsWorks = false;
        return false;
    }

    /** fsync of every file and directory under {@code root} (symlinks excepted): the slow way. */
    public static void fsyncTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                        ch.force(true);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                fsyncDirectory(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** fsync of a directory, so that entries created or renamed in it survive a crash. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Writes {@code content} to {@code target} so that a reader sees either the old file or the
     * whole new one, even across a crash: temp file in the same directory, fsync, rename, fsync dir.
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.getParent();
        Path tmp = TempNames.allocate(dir);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            TempNames.release(tmp);
        }
    }

    /** Gives a restored object its store metadata: 0444 or 0555, mtime 1. Symlinks only get the mtime. */
    public static void canonicalize(Path p, boolean directory, boolean executable, boolean symlink) throws IOException {
        if (!symlink) {
            Files.setPosixFilePermissions(p, directory || executable ? READ_EXEC : READ_ONLY);
        }
        try {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(STORE_MTIME, null, null);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            if (!symlink) {
                throw e;
            }
            // some systems cannot set a symlink's own times; its mtime does not matter to anything
        }
    }
}
