package dev.flotilla.store.copy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Exactly {@code limit} bytes of another stream: the NAR that follows a path header. Never closes the stream below. */
final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long limit) {
        this.in = in;
        this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int b = in.read();
        if (b >= 0) {
            remaining--;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n > 0) {
            remaining -= n;
        }
        return n;
    }

    /** Reads and discards what is left, to stay in step with the sender; EOF before that is an error. */
    void drain() throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (remaining > 0) {
            int n = read(buf, 0, buf.length);
            if (n < 0) {
                throw new EOFException("stream ended " + remaining + " bytes before the end of a NAR");
            }
        }
    }

    @Override
    public void close() {
        // the underlying stream belongs to the protocol
    }
}
