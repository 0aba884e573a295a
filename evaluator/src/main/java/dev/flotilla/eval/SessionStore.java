package dev.flotilla.eval;

import dev.flotilla.eval.store.Hashes;
import dev.flotilla.eval.store.Nar;
import dev.flotilla.eval.store.StorePaths;
import dev.flotilla.eval.syntax.Paths;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;

/**
 * The store as seen by one evaluation: computes the store paths of copied sources, {@code toFile}
 * texts and derivations, and remembers what would have to be written (for a later build step).
 * Nothing is written to disk here.
 */
public final class SessionStore {
    private final String storeDir;
    private final Map<String, String> copiedSources = new LinkedHashMap<>();
    private final Map<String, String> sourcesByPath = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();
    private final Map<String, String> derivations = new LinkedHashMap<>();

    SessionStore(String storeDir) {
        this.storeDir = storeDir;
    }

    public String storeDir() {
        return storeDir;
    }

    public boolean isStorePath(String p) {
        return p.startsWith(storeDir + "/") && p.length() > storeDir.length() + 34;
    }

    /** Store path of the source {@code path} added recursively (as {@code "${./p}"} does). */
    public String copyPath(String path, Pos pos) {
        if (isStorePath(path)) return path;
        String cached = sourcesByPath.get(path);
        if (cached != null) return cached;
        String name = Paths.baseNameOf(path);
        String bad = StorePaths.checkName(name);
        if (bad != null) throw new EvalException(pos, bad);
        MessageDigest md = Hashes.digester("sha256");
        try (OutputStream out = new java.security.DigestOutputStream(OutputStream.nullOutputStream(), md)) {
            Nar.dump(Bytes.path(path), out);
        } catch (IOException e) {
            throw new EvalException(pos, "getting status of '" + path + "': No such file or directory");
        }
        String sp = StorePaths.fixed(storeDir, true, "sha256", md.digest(), name);
        sourcesByPath.put(path, sp);
        copiedSources.put(sp, path);
        return sp;
    }

    public String addText(String name, String contents, SortedSet<String> refs, Pos pos) {
        String bad = StorePaths.checkName(name);
        if (bad != null) throw new EvalException(pos, bad);
        String sp = StorePaths.text(storeDir, name, contents, refs);
        texts.put(sp, contents);
        return sp;
    }

    public void addDerivation(String drvPath, String aterm) {
        derivations.put(drvPath, aterm);
    }

    /** The ATerm text of a derivation computed in this session, or null. */
    public String derivation(String drvPath) {
        return derivations.get(drvPath);
    }

    /** Store path → source path of every path copied so far. */
    public Map<String, String> copiedSources() {
        return Map.copyOf(copiedSources);
    }

    /** Store path → contents of every text file ({@code toFile}, {@code .drv}) created so far. */
    public Map<String, String> texts() {
        return Map.copyOf(texts);
    }
}
