package dev.flotilla.deploy.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flotilla.eval.InputListener.Input;
import dev.flotilla.store.Hash;
import dev.flotilla.store.nar.NarWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code flotilla.lock}: every input a fleet's evaluation read, with what the result could depend on,
 * so that {@code --locked} refuses to evaluate when one of them changed (the flake.lock idea).
 *
 * <pre>
 * {
 *   "version" : 2,
 *   "inputs" : {
 *     "../shared/base.nix" : { "file" : "sha256-…" },
 *     "fleet.nix" : { "file" : "sha256-…" },
 *     "hosts" : { "dir" : "sha256-…" },
 *     "packages/webapp" : { "tree" : "sha256-…" },
 *     "secrets/extra.nix" : { "exists" : "no" }
 *   }
 * }
 * </pre>
 *
 * Inputs are named relative to the fleet folder (so two checkouts of one fleet have the same lock),
 * except far-away files, which keep their absolute path. Each input maps how it was read ({@link
 * Kind}) to a value: the SHA-256 (SRI) of a file's contents, of a directory's listing (names and
 * types) or of a copied tree's NAR; {@code yes}/{@code no} for an existence test. The inventory files
 * are pinned as files too. Everything is sorted, so an unchanged fleet writes the same bytes.
 */
public record FleetLock(SortedMap<String, SortedMap<Kind, String>> inputs) {
    public static final String FILE = "flotilla.lock";
    public static final int VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    /** Writes the version first; every map below it is sorted already. */
    private static final ObjectMapper WRITER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** How an input was read; the lock file's key for it. */
    public enum Kind {
        /** Contents of a file (import, readFile, hashFile, a flat copy). */
        FILE("file"),
        /** Names and types of a directory's entries (readDir). */
        DIR("dir"),
        /** Whether the path exists (pathExists). */
        EXISTS("exists"),
        /** A file or tree copied into the store whole: its NAR. */
        TREE("tree"),
        /** A tree copied through a filter: the filtered NAR's hash; only the evaluation can recompute it. */
        FILTERED("filtered");

        final String key;

        Kind(String key) {
            this.key = key;
        }

        static Kind of(String key) {
            for (Kind k : values()) {
                if (k.key.equals(key)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown kind of input '" + key + "'");
        }
    }

    /** One read of one input, pinned to a value. */
    public record Pin(String name, Kind kind, String value) {}

    /** An input whose value differs from the lock's ({@code now} is null when the lock does not record it). */
    public record Change(String name, Kind kind, String locked, String now) {
        @Override
        public String toString() {
            if (locked == null) {
                return name + " (" + kind.key + ") is read but not recorded in the lock";
            }
            return name + " changed: " + kind.key + " " + locked + " in the lock, " + now + " now";
        }
    }

    public FleetLock {
        SortedMap<String, SortedMap<Kind, String>> copy = new TreeMap<>();
        inputs.forEach((k, v) -> copy.put(k, Collections.unmodifiableSortedMap(new TreeMap<>(v))));
        inputs = Collections.unmodifiableSortedMap(copy);
    }

    public static FleetLock of(Iterable<Pin> pins) {
        SortedMap<String, SortedMap<Kind, String>> m = new TreeMap<>();
        for (Pin p : pins) {
            m.computeIfAbsent(p.name(), k -> new TreeMap<>()).put(p.kind(), p.value());
        }
        return new FleetLock(m);
    }

    public Optional<String> value(String name, Kind kind) {
        return Optional.ofNullable(inputs.getOrDefault(name, Collections.emptySortedMap()).get(kind));
    }

    /** This lock with {@code pins} added or replacing what it recorded for the same input and kind. */
    public FleetLock with(Iterable<Pin> pins) {
        SortedMap<String, SortedMap<Kind, String>> m = new TreeMap<>();
        inputs.forEach((k, v) -> m.put(k, new TreeMap<>(v)));
        for (Pin p : pins) {
            m.computeIfAbsent(p.name(), k -> new TreeMap<>()).put(p.kind(), p.value());
        }
        return new FleetLock(m);
    }

    /**
     * Every recorded input whose value on disk now differs (filtered copies excepted: only an
     * evaluation can recompute those, and {@link #check} does when it reads them). In name order.
     */
    public List<Change> verify(Path dir) throws IOException {
        List<Change> out = new ArrayList<>();
        for (var input : inputs.entrySet()) {
            for (var pinned : input.getValue().entrySet()) {
                if (pinned.getKey() == Kind.FILTERED) {
                    continue;
                }
                String now = current(resolve(dir, input.getKey()), pinned.getKey());
                if (!now.equals(pinned.getValue())) {
                    out.add(new Change(input.getKey(), pinned.getKey(), pinned.getValue(), now));
                }
            }
        }
        return out;
    }

    /** How {@code pin} (a read just made) compares with the lock: empty when the lock has exactly it. */
    public Optional<Change> check(Pin pin) {
        String locked = value(pin.name(), pin.kind()).orElse(null);
        return pin.value().equals(locked) ? Optional.empty() : Optional.of(new Change(pin.name(), pin.kind(), locked, pin.value()));
    }

    /** Pins an evaluator read: hashes what it read (the evaluator's own hash, for copies). */
    public static Pin pin(Path dir, Input input) throws IOException {
        String name = name(dir, input.path());
        return switch (input) {
            case Input.FileContents f -> new Pin(name, Kind.FILE, current(f.path(), Kind.FILE));
            case Input.DirectoryListing d -> new Pin(name, Kind.DIR, current(d.path(), Kind.DIR));
            case Input.Existence e -> new Pin(name, Kind.EXISTS, e.exists() ? "yes" : "no");
            case Input.Copied c when !c.recursive() -> new Pin(name, Kind.FILE, sri(c.sha256()));
            case Input.Copied c -> new Pin(name, c.filtered() ? Kind.FILTERED : Kind.TREE, sri(c.sha256()));
        };
    }

    /** Pins a file read outside the evaluator (the inventory). */
    public static Pin file(Path dir, Path file) throws IOException {
        return new Pin(name(dir, file), Kind.FILE, current(file, Kind.FILE));
    }

    /** The value of {@code path} for {@code kind} as it is on disk now; a missing path has the value {@code missing}. */
    static String current(Path path, Kind kind) throws IOException {
        if (kind == Kind.EXISTS) {
            return Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? "yes" : "no";
        }
        if (!Files.exists(path)) {
            return "missing";
        }
        return switch (kind) {
            case FILE -> Files.isRegularFile(path) ? Hash.sha256(Files.readAllBytes(path)).toSri() : "not a file";
            case DIR -> Files.isDirectory(path) ? listing(path) : "not a directory";
            case TREE -> NarWriter.summarize(path).narHash().toSri();
            case EXISTS, FILTERED -> throw new IllegalArgumentException(kind + " has no value on disk");
        };
    }

    /** The name under which {@code file} is recorded: relative to the folder, unless more than two levels above it. */
    public static String name(Path dir, Path file) {
        Path base = dir.toAbsolutePath().normalize();
        Path abs = file.toAbsolutePath().normalize();
        String rel = base.relativize(abs).toString().replace(java.io.File.separatorChar, '/');
        return rel.startsWith("../../../") ? abs.toString() : rel.isEmpty() ? "." : rel;
    }

    static Path resolve(Path dir, String name) {
        return dir.toAbsolutePath().normalize().resolve(name).normalize();
    }

    private static String listing(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String type = Files.isSymbolicLink(p) ? "symlink" : Files.isDirectory(p) ? "directory" : Files.isRegularFile(p) ? "regular" : "unknown";
                b.append(p.getFileName()).append('\t').append(type).append('\n');
            }
        }
        return Hash.sha256(b.toString().getBytes(StandardCharsets.UTF_8)).toSri();
    }

    private static String sri(byte[] sha256) {
        return "sha256-" + Base64.getEncoder().encodeToString(sha256);
    }

    /** Reads {@code dir/flotilla.lock}; empty when there is none. Errors name the file and the entry. */
    public static Optional<FleetLock> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root != null && root.path("version").asInt() == 1) {
            // Version 1 hashed the whole folder, not what was read: treated as no lock (rewritten by the next build).
            return Optional.empty();
        }
        if (root == null || root.path("version").asInt() != VERSION || !root.path("inputs").isObject()) {
            throw new IOException(file + ": expected {\"version\": " + VERSION + ", \"inputs\": {...}}"
                    + " (an older lock: delete it and run 'flotilla build' to write a new one)");
        }
        SortedMap<String, SortedMap<Kind, String>> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("inputs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isObject()) {
                throw new IOException(file + ": inputs.\"" + e.getKey() + "\": expected an object like {\"file\": \"sha256-…\"}");
            }
            SortedMap<Kind, String> kinds = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> k = e.getValue().fields(); k.hasNext(); ) {
                Map.Entry<String, JsonNode> v = k.next();
                try {
                    kinds.put(Kind.of(v.getKey()), v.getValue().asText());
                } catch (IllegalArgumentException ex) {
                    throw new IOException(file + ": inputs.\"" + e.getKey() + "\": " + ex.getMessage(), ex);
                }
            }
            m.put(e.getKey(), kinds);
        }
        return Optional.of(new FleetLock(m));
    }

    /** Writes {@code dir/flotilla.lock} atomically. */
    public void write(Path dir) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", VERSION);
        Map<String, Map<String, String>> out = new TreeMap<>();
        inputs.forEach((name, kinds) -> {
            Map<String, String> m = new TreeMap<>();
            kinds.forEach((k, v) -> m.put(k.key, v));
            out.put(name, m);
        });
        doc.put("inputs", out);
        Path tmp = Files.createTempFile(dir, ".flotilla.lock-", "");
        try {
            Files.writeString(tmp, WRITER.writeValueAsString(doc) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
