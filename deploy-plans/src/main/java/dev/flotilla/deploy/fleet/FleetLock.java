package dev.flotilla.deploy.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flotilla.store.nar.NarWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code flotilla.lock}: the hash of every input a fleet's evaluation reads, by path relative to the
 * fleet folder ({@code "fleet.nix"}, {@code "modules/web.nix"}, {@code "../shared/base.nix"}), each the
 * SRI SHA-256 of the input's NAR serialization (so directories and the executable bit count too).
 *
 * <p>Inputs are every file of the fleet folder (except this lock, hidden files, {@code plans/},
 * {@code *.md} and {@code result*}), since an expression may read any of them, plus whatever the
 * evaluation imported or copied from outside the folder. Paths are relative, so two checkouts of
 * one fleet have the same lock.
 */
public record FleetLock(SortedMap<String, String> inputs) {
    public static final String FILE = "flotilla.lock";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public FleetLock {
        inputs = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(inputs));
    }

    /** The inputs that differ between {@code this} (recorded) and {@code now}: what a --locked run refuses. */
    public record Difference(List<String> changed, List<String> added, List<String> removed) {
        public boolean isEmpty() {
            return changed.isEmpty() && added.isEmpty() && removed.isEmpty();
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (!changed.isEmpty()) {
                parts.add("changed: " + String.join(", ", changed));
            }
            if (!added.isEmpty()) {
                parts.add("new: " + String.join(", ", added));
            }
            if (!removed.isEmpty()) {
                parts.add("missing: " + String.join(", ", removed));
            }
            return String.join("; ", parts);
        }
    }

    public Difference diff(FleetLock now) {
        List<String> changed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        inputs.forEach((k, v) -> {
            String n = now.inputs.get(k);
            if (n == null) {
                removed.add(k);
            } else if (!n.equals(v)) {
                changed.add(k);
            }
        });
        now.inputs.keySet().stream().filter(k -> !inputs.containsKey(k)).forEach(added::add);
        return new Difference(changed, added, removed);
    }

    /** This lock with {@code more} inputs added (or replaced). */
    public FleetLock with(Map<String, String> more) {
        SortedMap<String, String> m = new TreeMap<>(inputs);
        m.putAll(more);
        return new FleetLock(m);
    }

    /** The recorded inputs outside the fleet folder (the ones the folder scan cannot find by itself). */
    public Set<String> external() {
        Set<String> out = new java.util.TreeSet<>();
        for (String k : inputs.keySet()) {
            if (k.startsWith("../") || k.startsWith("/")) {
                out.add(k);
            }
        }
        return out;
    }

    /** The inputs now: the folder's files plus {@code external} paths (absolute, or relative to {@code dir}). */
    public static FleetLock compute(Path dir, Collection<String> external) throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        SortedMap<String, String> m = new TreeMap<>();
        for (Path f : folderInputs(base)) {
            m.put(relative(base, f), hash(f));
        }
        for (String e : external) {
            Path p = base.resolve(e).normalize();
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                m.put(relative(base, p), hash(p));
            }
        }
        return new FleetLock(m);
    }

    /** The name under which {@code file} is recorded: relative to the folder, with '/' separators. */
    public static String relative(Path dir, Path file) {
        Path rel = dir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
        return rel.toString().replace(java.io.File.separatorChar, '/');
    }

    public static String hash(Path p) throws IOException {
        return NarWriter.summarize(p).narHash().toSri();
    }

    /** Reads {@code dir/flotilla.lock}; empty when there is none. */
    public static java.util.Optional<FleetLock> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return java.util.Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || root.path("version").asInt() != VERSION || !root.path("inputs").isObject()) {
            throw new IOException(file + ": expected {\"version\": " + VERSION + ", \"inputs\": {...}}");
        }
        SortedMap<String, String> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("inputs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return java.util.Optional.of(new FleetLock(m));
    }

    /** Writes {@code dir/flotilla.lock} atomically. */
    public void write(Path dir) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", VERSION);
        doc.put("inputs", inputs);
        Path tmp = Files.createTempFile(dir, ".flotilla.lock-", "");
        try {
            Files.writeString(tmp, JSON.writeValueAsString(doc) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static List<Path> folderInputs(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path d, java.nio.file.attribute.BasicFileAttributes a) {
                return d.equals(dir) || included(dir.relativize(d))
                        ? java.nio.file.FileVisitResult.CONTINUE : java.nio.file.FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) {
                if ((a.isRegularFile() || a.isSymbolicLink()) && included(dir.relativize(f))) {
                    out.add(f);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        out.sort(null);
        return out;
    }

    private static boolean included(Path rel) {
        for (Path part : rel) {
            String s = part.toString();
            if (s.startsWith(".") || s.startsWith("result")) {
                return false;
            }
        }
        String first = rel.getName(0).toString();
        String name = rel.getFileName().toString();
        return !first.equals("plans") && !rel.toString().equals(FILE) && !name.endsWith(".md");
    }
}
