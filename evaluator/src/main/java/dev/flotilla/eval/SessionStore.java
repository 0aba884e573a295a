package dev.flotilla.eval;

import dev.flotilla.eval.store.Hashes;
import dev.flotilla.eval.store.Nar;
import dev.flotilla.eval.store.StorePaths;
import dev.flotilla.eval.syntax.Paths;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Predicate;

/**
 * The store as seen by one evaluation: computes the store paths of added sources, {@code toFile}
 * texts and derivations (spec §3, §4), hands what it adds to the {@link SourceStore} hook, and
 * remembers what was added (for a later build step).
 */
public final class SessionStore {
    /** Decides whether an entry below an added directory is included: Nix's {@code filter path type}. */
    @FunctionalInterface
    public interface Filter {
        boolean keep(String path, String type);
    }

    private final String storeDir;
    private final SourceStore hook;
    private final java.util.function.Consumer<InputListener.Input> reads;
    private final Map<String, String> copiedSources = new LinkedHashMap<>();
    private final Map<String, String> sourcesByPath = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();
    private final Map<String, String> derivations = new LinkedHashMap<>();

    SessionStore(String storeDir, SourceStore hook, java.util.function.Consumer<InputListener.Input> reads) {
        this.storeDir = storeDir;
        this.hook = hook;
        this.reads = reads;
    }

    SessionStore(String storeDir, SourceStore hook) {
        this(storeDir, hook, input -> { });
    }

    SessionStore(String storeDir) {
        this(storeDir, SourceStore.NONE);
    }

    public String storeDir() {
        return storeDir;
    }

    public boolean isStorePath(String p) {
        return p.startsWith(storeDir + "/") && p.length() > storeDir.length() + 34;
    }

    /** Store path of the source {@code path} added recursively under its base name (as {@code "${./p}"} does). */
    public String copyPath(String path, Pos pos) {
        if (isStorePath(path)) return path;
        String cached = sourcesByPath.get(path);
        if (cached != null) return cached;
        String sp = addPath(path, Paths.baseNameOf(path), true, null, null, pos);
        sourcesByPath.put(path, sp);
        return sp;
    }

    /**
     * {@code builtins.path} / {@code filterSource}: adds {@code path} (recursively: its NAR, keeping the
     * entries {@code filter} accepts; else: the flat contents of a regular file) as {@code name}.
     * {@code expectedSha256}, if given, must be the hash of what is added.
     */
    public String addPath(String path, String name, boolean recursive, Filter filter, byte[] expectedSha256, Pos pos) {
        Path file = Bytes.path(path);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new EvalException(pos, "getting status of '" + path + "': No such file or directory");
        }
        Set<Path> included = new HashSet<>();
        byte[] hash;
        try {
            hash = recursive ? narHash(file, filter, included, pos) : flatHash(file, path, pos);
        } catch (IOException e) {
            throw new EvalException(pos, "reading '" + path + "': " + e.getMessage());
        }
        String sp = checked(StorePaths.fixed(storeDir, recursive, "sha256", hash, name), name, pos);
        if (expectedSha256 != null && !java.util.Arrays.equals(expectedSha256, hash)) {
            throw new EvalException(pos, "store path mismatch in (possibly filtered) path added from '" + path + "'");
        }
        reads.accept(new InputListener.Input.Copied(file, recursive, filter != null, hash));
        Predicate<Path> accepted = filter == null ? p -> true : p -> p.equals(file) || included.contains(p);
        String added = hook.addPath(file, name, recursive, accepted, sp);
        if (!sp.equals(added)) {
            throw new EvalException(pos, "the store added '" + path + "' as '" + added + "', not as '" + sp + "'");
        }
        copiedSources.put(sp, path);
        return sp;
    }

    private static byte[] narHash(Path file, Filter filter, Set<Path> included, Pos pos) throws IOException {
        MessageDigest md = Hashes.digester("sha256");
        Nar.EntryFilter f = filter == null ? null : (p, type) -> {
            boolean keep = filter.keep(Bytes.fromJava(p.toString()), type);
            if (keep) included.add(p);
            return keep;
        };
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
            Nar.dump(file, out, f);
        }
        return md.digest();
    }

    private static byte[] flatHash(Path file, String path, Pos pos) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new EvalException(pos, "reading from file: Is a directory"); // Nix 2.8's words, also for other non-files
        }
        return Hashes.digest("sha256", Files.readAllBytes(file));
    }

    /** Nix 2.8's name rules, reported with the whole base name as Nix does. */
    public String checked(String storePath, String name, Pos pos) {
        String base = storePath.substring(storeDir.length() + 1);
        String problem = StorePaths.checkName(name);
        // a store error in Nix 2.8, which comes without a position
        if (problem != null) throw new EvalException(pos, "store path '" + base + "' " + problem).withoutShownPosition();
        return storePath;
    }

    public String addText(String name, String contents, SortedSet<String> refs, Pos pos) {
        String sp = checked(StorePaths.text(storeDir, name, contents, refs), name, pos);
        if (texts.put(sp, contents) == null) hook.addText(sp, name, contents, refs);
        return sp;
    }

    public void addDerivation(String drvPath, String aterm) {
        derivations.put(drvPath, aterm);
    }

    /** The ATerm text of a derivation computed in this session, or null. */
    public String derivation(String drvPath) {
        return derivations.get(drvPath);
    }

    /** Store path → source path of every path added so far. */
    public Map<String, String> copiedSources() {
        return Map.copyOf(copiedSources);
    }

    /** Store path → contents of every text file ({@code toFile}, {@code .drv}) created so far. */
    public Map<String, String> texts() {
        return Map.copyOf(texts);
    }
}
