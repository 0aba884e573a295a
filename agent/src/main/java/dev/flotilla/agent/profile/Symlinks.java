package dev.flotilla.agent.profile;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Symlink helpers: atomic replacement by temporary link + {@code rename(2)}, never delete-then-create. */
public final class Symlinks {
    private Symlinks() {
    }

    /**
     * Makes {@code link} point to {@code target} atomically: a temporary symlink
     * {@code <link>.tmp-<pid>-<random>} in the same directory, then renamed onto {@code link}.
     */
    public static void replace(Path link, String target) throws IOException {
        Path tmp = null;
        for (int attempt = 0; tmp == null; attempt++) {
            Path candidate = link.resolveSibling(link.getFileName() + ".tmp-" + ProcessHandle.current().pid()
                    + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
            try {
                Files.createSymbolicLink(candidate, Path.of(target));
                tmp = candidate;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e;
                }
            }
        }
        moveAtomically(tmp, link);
    }

    /** {@code rename(2)}; removes {@code from} if the rename fails. */
    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(from);
            throw e;
        }
    }

    /** The link's target text, or empty when {@code path} is missing or not a symlink. */
    public static Optional<String> read(Path path) {
        if (!Files.isSymbolicLink(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(path).toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
