package dev.flotilla.agent.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A protocol served over one bidirectional byte stream: an SSH subsystem channel, or stdin/stdout
 * under {@code flotilla-agent serve --stdio}. Returns when the peer is done (EOF).
 */
@FunctionalInterface
public interface StreamService {
    void serve(InputStream in, OutputStream out) throws IOException;

    /** As {@link #serve(InputStream, OutputStream)}; {@code connection} identifies the SSH connection (or stdio process). */
    default void serve(InputStream in, OutputStream out, String connection) throws IOException {
        serve(in, out);
    }
}
