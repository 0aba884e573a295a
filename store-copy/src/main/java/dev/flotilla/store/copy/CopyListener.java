package dev.flotilla.store.copy;

import dev.flotilla.store.PathInfo;
import dev.flotilla.store.StorePath;

import java.util.List;

/** Progress of a closure copy, on the client side. Called from the copying thread; keep it quick. */
public interface CopyListener {
    CopyListener NONE = new CopyListener() {
    };

    /** The closure of the roots was computed. */
    default void closureComputed(int pathsInClosure) {
    }

    /** The host answered which paths it lacks; they will be sent in this order. */
    default void missingPaths(List<StorePath> toSend) {
    }

    default void pathStarted(PathInfo info) {
    }

    /** Some NAR bytes of the current path went out; {@code sent} counts from the path's start. */
    default void narProgress(PathInfo info, long sent) {
    }

    /** The whole NAR of the path was written (the host confirms all paths at the end). */
    default void pathFinished(PathInfo info) {
    }
}
