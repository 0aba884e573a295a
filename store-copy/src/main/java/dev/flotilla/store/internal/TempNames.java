package dev.flotilla.store.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Temporary names in the store directory: {@code .tmp-<pid>-<random>}. A leading dot can never
 * start a store path's hash part, so a temporary is never taken for a path. A crash leaves them
 * behind; {@link #cleanStale} removes those whose process is gone (or is us, but not in use).
 */
public final class TempNames {
    public static final String PREFIX = ".tmp-";
    private static final long PID = ProcessHandle.current().pid();
    private static final Set<Path> IN_USE = ConcurrentHashMap.newKeySet();

    private TempNames() {
    }

    /** A fresh temporary name in {@code dir}, marked in use until {@link #release}. */
    public static Path allocate(Path dir) {
        while (true) {
            Path p = dir.resolve(PREFIX + PID + "-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36))
                    .toAbsolutePath().normalize();
            if (IN_USE.add(p)) {
                return p;
            }
        }
    }

    public static void release(Path p) {
        IN_USE.remove(p.toAbsolutePath().normalize());
    }

    /** Deletes the stale temporaries in {@code dir}; returns how many. */
    public static int cleanStale(Path dir) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path entry : entries) {
                if (isStale(entry)) {
                    FsUtil.deleteTree(entry);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean isStale(Path entry) {
        String rest = entry.getFileName().toString().substring(PREFIX.length());
        int dash = rest.indexOf('-');
        long pid;
        try {
            pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (NumberFormatException e) {
            return true;
        }
        if (pid == PID) {
            return !IN_USE.contains(entry.toAbsolutePath().normalize());
        }
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }
}
