package dev.flotilla.eval;

import java.nio.file.Path;
import java.util.SortedSet;
import java.util.function.Predicate;

/**
 * Where an evaluation puts what it adds to the store: sources ({@code builtins.path},
 * {@code filterSource}, {@code "${./file}"}, paths in derivation attributes) and {@code toFile}
 * texts. The evaluator computes every store path itself (they must equal Nix's); a store hook
 * only receives the data, so the evaluator module depends on no store implementation.
 * {@link #NONE}, the default, adds nothing: store paths are computed only, as
 * {@code nix-instantiate --eval} does in read-only mode.
 *
 * <p>Calls happen on the evaluation thread, once per distinct addition.
 */
@FunctionalInterface
public interface SourceStore {
    /** Computes paths only. */
    SourceStore NONE = (file, name, recursive, filter, storePath) -> storePath;

    /**
     * Adds {@code file} as {@code storePath}.
     *
     * @param file      the source file or directory (symlinks are added as symlinks)
     * @param name      the store path's name
     * @param recursive true: the file-system tree (NAR); false: the flat contents of a regular file
     * @param filter    which entries below {@code file} to include (the evaluator has already run the
     *                  Nix filter function while hashing; this answers from its decisions)
     * @param storePath the path the evaluator computed
     * @return the store path it was added as (the evaluator fails if it differs from {@code storePath})
     */
    String addPath(Path file, String name, boolean recursive, Predicate<Path> filter, String storePath);

    /** Adds a {@code toFile} text (bytes as ISO-8859-1 chars) with its references; by default nothing. */
    default void addText(String storePath, String name, String contents, SortedSet<String> references) {
    }
}
