package dev.flotilla.eval;

import java.nio.file.Path;

/**
 * Told about every file-system input an evaluation reads outside the store, so that a caller can
 * pin them (a fleet's {@code flotilla.lock}). Each session reports a given input once; calls happen
 * on the evaluation thread, so an implementation shared by sessions must be thread-safe. It should
 * not throw: a caller that refuses an input records it and fails after the evaluation.
 */
@FunctionalInterface
public interface InputListener {
    /** Reports nothing. */
    InputListener NONE = input -> { };

    void read(Input input);

    /** How an input was read, which decides what of it the result can depend on. */
    sealed interface Input {
        Path path();

        /** The contents of a file: {@code import}, {@code scopedImport}, {@code readFile}, {@code hashFile}. */
        record FileContents(Path path) implements Input {}

        /** The names and types of a directory's entries: {@code readDir}. */
        record DirectoryListing(Path path) implements Input {}

        /** Whether a path exists: {@code pathExists}. */
        record Existence(Path path, boolean exists) implements Input {}

        /**
         * A file or tree copied into the store ({@code builtins.path}, {@code filterSource},
         * {@code "${./p}"}), with the SHA-256 the evaluator computed over what it copied (the NAR,
         * filtered if {@code filtered}; or the flat contents when not {@code recursive}).
         */
        record Copied(Path path, boolean recursive, boolean filtered, byte[] sha256) implements Input {
            @Override
            public boolean equals(Object o) {
                return o instanceof Copied c && c.path.equals(path) && c.recursive == recursive && c.filtered == filtered
                        && java.util.Arrays.equals(c.sha256, sha256);
            }

            @Override
            public int hashCode() {
                return path.hashCode() * 31 + java.util.Arrays.hashCode(sha256);
            }
        }
    }
}
