package dev.flotilla.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/** Graph helpers over the references relation. */
public final class Closures {
    private Closures() {
    }

    /** How to find a path's references. */
    @FunctionalInterface
    public interface References {
        Set<StorePath> of(StorePath path) throws IOException;
    }

    /**
     * Orders {@code paths} so that every path comes after the paths it references, considering only
     * references inside {@code paths}; self-references are ignored. Deterministic: ties follow the
     * sorted order. A cycle between distinct paths (which Nix never creates) is an error.
     */
    public static List<StorePath> topoSort(SortedSet<StorePath> paths, References refs) throws IOException {
        List<StorePath> out = new ArrayList<>(paths.size());
        Set<StorePath> done = new HashSet<>();
        Set<StorePath> visiting = new HashSet<>();
        for (StorePath p : paths) {
            visit(p, paths, refs, done, visiting, out);
        }
        return out;
    }

    private static void visit(StorePath p, Set<StorePath> paths, References refs, Set<StorePath> done,
                              Set<StorePath> visiting, List<StorePath> out) throws IOException {
        if (done.contains(p)) {
            return;
        }
        if (!visiting.add(p)) {
            throw new StoreException(ErrorCode.INTERNAL, p.absolute(), "reference cycle");
        }
        for (StorePath r : new java.util.TreeSet<>(refs.of(p))) {
            if (!r.equals(p) && paths.contains(r)) {
                visit(r, paths, refs, done, visiting, out);
            }
        }
        visiting.remove(p);
        done.add(p);
        out.add(p);
    }
}
