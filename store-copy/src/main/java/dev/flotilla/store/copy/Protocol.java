package dev.flotilla.store.copy;

import dev.flotilla.store.StorePath;
import dev.flotilla.store.copy.Frames.Type;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Versions, capabilities and shared helpers of the copy protocol. */
final class Protocol {
    /** Incompatible changes bump the major; a peer with another major is refused. */
    static final int MAJOR = 1;
    /** Compatible additions (new optional fields, new capabilities) bump the minor. */
    static final int MINOR = 0;
    /** Capabilities this side implements: {@code zstd} (see {@link Compression}) if its native library loads. */
    static final Set<String> CAPABILITIES = Compression.available() ? Set.of(Compression.ZSTD) : Set.of();
    /** Path lists are split so that every frame stays well under {@link Frames#MAX_PAYLOAD}. */
    private static final int CHUNK_BYTES = 256 * 1024;

    private Protocol() {
    }

    /** The capabilities both sides have, in the offering side's order. */
    static List<String> accept(List<String> offered, Set<String> ours) {
        List<String> out = new ArrayList<>();
        if (offered != null) {
            for (String c : offered) {
                if (ours.contains(c) && !out.contains(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** Writes base names as one or more {@link Messages.Paths} frames, the last one marked. */
    static void writePaths(OutputStream out, Type type, Collection<StorePath> paths) throws IOException {
        List<String> chunk = new ArrayList<>();
        int bytes = 0;
        for (StorePath p : paths) {
            String base = p.baseName();
            if (bytes + base.length() + 3 > CHUNK_BYTES) {
                Frames.write(out, type, new Messages.Paths(chunk, false));
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(base);
            bytes += base.length() + 3;
        }
        Frames.write(out, type, new Messages.Paths(chunk, true));
    }
}
