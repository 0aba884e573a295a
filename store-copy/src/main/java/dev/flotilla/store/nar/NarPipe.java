package dev.flotilla.store.nar;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies a file-system object by serialising it and restoring the NAR at once, so that a copy is
 * validated exactly like anything received from the network and its hash comes for free.
 */
public final class NarPipe {
    private NarPipe() {
    }

    public static NarSummary copy(Path source, Path target, NarReader.Options options) throws IOException {
        PipedInputStream in = new PipedInputStream(256 * 1024);
        PipedOutputStream out = new PipedOutputStream(in);
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = Thread.ofVirtual().name("nar-pipe").start(() -> {
            try (out) {
                NarWriter.dump(source, out);
            } catch (Throwable t) {
                writerFailure.set(t);
            }
        });
        try {
            NarSummary summary = NarReader.restore(in, target, options);
            join(writer);
            rethrow(writerFailure.get());
            return summary;
        } catch (IOException | RuntimeException e) {
            in.close(); // unblocks a writer waiting for room in the pipe
            join(writer);
            Throwable cause = writerFailure.get();
            if (cause != null && e instanceof java.io.EOFException) {
                rethrow(cause); // the writer's error explains why the reader saw the stream end
            }
            throw e;
        }
    }

    private static void join(Thread t) throws IOException {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while copying");
        }
    }

    private static void rethrow(Throwable t) throws IOException {
        if (t == null) {
            return;
        }
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        throw new IOException(t);
    }
}
