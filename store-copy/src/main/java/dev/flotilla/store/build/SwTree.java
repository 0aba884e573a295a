package dev.flotilla.store.build;

import dev.flotilla.store.LocalStore;
import dev.flotilla.store.StorePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The system's {@code sw/} directory: the union of its packages' files, each a symlink to the
 * file inside its package's store path (absolute, logical), with real directories in between
 * (like Nix's buildEnv). A package that is a single file appears as {@code bin/<name>}. Two
 * packages providing the same file is an error naming both.
 */
final class SwTree {
    private SwTree() {}

    static void build(LocalStore store, List<StorePath> packages, Path sw) throws IOException {
        Map<String, StorePath> owners = new TreeMap<>();
        Map<String, String> links = new TreeMap<>();
        for (StorePath p : new LinkedHashSet<>(packages)) {
            Path physical = store.physical(p);
            if (Files.isDirectory(physical, LinkOption.NOFOLLOW_LINKS)) {
                for (String rel : files(physical)) {
                    claim(owners, links, rel, p, p.absolute() + "/" + rel);
                }
            } else {
                claim(owners, links, "bin/" + p.name(), p, p.absolute());
            }
        }
        Files.createDirectories(sw);
        for (Map.Entry<String, String> e : links.entrySet()) {
            Path link = sw.resolve(e.getKey());
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of(e.getValue()));
        }
    }

    private static void claim(Map<String, StorePath> owners, Map<String, String> links, String rel, StorePath p, String target) {
        StorePath other = owners.putIfAbsent(rel, p);
        if (other != null && !other.equals(p)) {
            throw new ConfigException("environment.packages: " + rel + " is provided by both " + other.absolute() + " and " + p.absolute());
        }
        links.put(rel, target);
    }

    /** Relative names of every non-directory under {@code dir}, sorted. */
    private static List<String> files(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(f -> !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS))
                    .forEach(f -> out.add(dir.relativize(f).toString()));
        }
        out.sort(null);
        return out;
    }
}
