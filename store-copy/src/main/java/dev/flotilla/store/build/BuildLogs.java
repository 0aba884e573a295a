package dev.flotilla.store.build;

import dev.flotilla.store.LocalStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The output (stdout and stderr, interleaved) of every derivation build, one file per derivation
 * ({@code <root>/flotilla/var/log/drvs/<hash>-<name>.drv.log}, as Nix keeps
 * {@code /nix/var/log/nix/drvs}); a rebuild replaces it.
 */
public final class BuildLogs {
    private final Path dir;

    public BuildLogs(Path dir) {
        this.dir = dir;
    }

    public static BuildLogs of(LocalStore store) {
        return new BuildLogs(store.physicalRoot().resolve("flotilla/var/log/drvs"));
    }

    public Path dir() {
        return dir;
    }

    /** The log of the derivation {@code drvPath} (absolute, or a base name). */
    public Path file(String drvPath) {
        return dir.resolve(drvPath.substring(drvPath.lastIndexOf('/') + 1) + ".log");
    }

    /** Logs whose derivation is {@code query}: a .drv path or base name, or a derivation name ({@code hello}). */
    public List<Path> find(String query) throws IOException {
        String base = query.substring(query.lastIndexOf('/') + 1);
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String f = p.getFileName().toString();
                if (f.equals(base + ".log") || f.equals(base + ".drv.log") || (f.length() > 33 && f.substring(33).equals(base + ".drv.log"))) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** The last {@code lines} lines of a log (fewer if it is shorter; empty if there is none). */
    public static List<String> tail(Path log, int lines) throws IOException {
        if (!Files.isRegularFile(log)) {
            return List.of();
        }
        List<String> all = List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n", -1));
        List<String> trimmed = all.size() > 0 && all.getLast().isEmpty() ? all.subList(0, all.size() - 1) : all;
        return trimmed.subList(Math.max(0, trimmed.size() - lines), trimmed.size());
    }
}
