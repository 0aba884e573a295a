package dev.flotilla.store.copy;

import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import com.github.luben.zstd.util.Native;
import dev.flotilla.store.ErrorCode;
import dev.flotilla.store.StoreException;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The {@code zstd} capability: once both hellos list it, everything the client sends after its
 * hello is one zstd stream (flushed whenever the client waits for an answer, ended after GOODBYE).
 * The server's answers stay uncompressed: they are small.
 */
final class Compression {
    static final String ZSTD = "zstd";
    /**
     * The largest window a peer may make us allocate (2^24 = 16 MiB); frames that need more are
     * refused. Our compressor stays below it at every level up to 19.
     */
    static final int WINDOW_LOG_MAX = 24;
    private static final boolean AVAILABLE = load();

    private Compression() {
    }

    /** True if zstd's native library loads on this machine; if not, the capability is simply not offered. */
    static boolean available() {
        return AVAILABLE;
    }

    private static boolean load() {
        try {
            Native.load();
            return Native.isLoaded();
        } catch (Throwable e) { // UnsatisfiedLinkError on an unsupported platform, or a sandboxed /tmp
            return false;
        }
    }

    /** A compressing stream over {@code wire}; {@link #finish} ends the frame and leaves {@code wire} open. */
    static ZstdOutputStreamNoFinalizer compressing(OutputStream wire, int level) throws IOException {
        ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(wire, level);
        z.setWindowLog(Math.min(WINDOW_LOG_MAX, 23));
        return z;
    }

    static void finish(ZstdOutputStreamNoFinalizer z) throws IOException {
        z.closeWithoutClosingParentStream();
    }

    /**
     * A decompressing view of {@code wire} whose memory is bounded by {@link #WINDOW_LOG_MAX}. A stream
     * that ends inside a frame raises {@link EOFException}; corrupt data a {@link StoreException}
     * with {@link ErrorCode#PROTOCOL}.
     */
    static InputStream decompressing(InputStream wire) throws IOException {
        ZstdInputStreamNoFinalizer z = new ZstdInputStreamNoFinalizer(wire);
        z.setLongMax(WINDOW_LOG_MAX);
        return new FilterInputStream(z) {
            @Override
            public int read() throws IOException {
                try {
                    return in.read();
                } catch (ZstdIOException e) {
                    throw translate(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return in.read(b, off, len);
                } catch (ZstdIOException e) {
                    throw translate(e);
                }
            }

            @Override
            public void close() {
                // the wire belongs to the protocol; the decoder's native memory is freed below
                try {
                    in.close();
                } catch (IOException ignored) {
                    // nothing to report on a stream being abandoned
                }
            }
        };
    }

    private static IOException translate(ZstdIOException e) {
        if ("Truncated source".equals(e.getMessage())) { // zstd-jni's words for EOF inside a frame
            EOFException eof = new EOFException("the compressed stream ended inside a frame");
            eof.initCause(e);
            return eof;
        }
        return new StoreException(ErrorCode.PROTOCOL, null, "corrupt compressed stream: " + e.getMessage(), e);
    }
}
