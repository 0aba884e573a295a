package dev.flotilla.store.copy;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.flotilla.store.ErrorCode;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.NarInfo;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.StoreException;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.copy.Frames.Frame;
import dev.flotilla.store.copy.Frames.Type;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The deploying side of the copy protocol. A copy is: handshake; one round trip to learn which
 * paths of the closure the host lacks; then every missing path's header and NAR, in topological
 * order, without waiting for per-path replies; then one reply for the whole transfer.
 */
public final class StoreProtocolClient {
    /** Bytes per buffer and buffers in flight between the thread serialising NARs and the sending thread. */
    private static final int PIPE_BUFFER = 256 * 1024;
    private static final int PIPE_BUFFERS = 8;

    private final LocalStore source;
    private final Options options;

    /**
     * How this client copies.
     *
     * @param compress  offer {@code zstd} compression of everything sent after the hello; it is used
     *                  only if the host accepts it, and never if zstd's native library is missing here
     * @param zstdLevel 1 (fastest) to 19
     */
    public record Options(boolean compress, int zstdLevel) {
        /**
         * Uncompressed, like {@code nix-copy-closure} without {@code --gzip} and rsync without
         * {@code -z}: on a fast link (LAN, loopback) compressing costs more CPU time than it saves
         * network time (bench/copy: 1 GiB in 6.1 s plain, 13.1 s with zstd on a busy 2-core machine).
         */
        public static final Options DEFAULT = new Options(false, 1);
        public static final Options UNCOMPRESSED = DEFAULT;
        /**
         * zstd level 1 (3-4 times the speed of level 3 for most of its ratio), when the host accepts
         * it: for links slower than the compressor (WAN, a few hundred Mbit/s) and compressible data.
         */
        public static final Options ZSTD = new Options(true, 1);

        public Options {
            if (zstdLevel < 1 || zstdLevel > 19) {
                throw new IllegalArgumentException("zstd level must be 1 to 19, got " + zstdLevel);
            }
        }
    }

    public StoreProtocolClient(LocalStore source) {
        this(source, Options.DEFAULT);
    }

    public StoreProtocolClient(LocalStore source, Options options) {
        this.source = Objects.requireNonNull(source, "source");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Copies the closure of {@code roots} to the host at the other end of the streams, then says
     * goodbye. The streams are not closed. A refusal by the host raises {@link StoreProtocolException}.
     */
    public CopyResult copyClosure(Collection<StorePath> roots, InputStream fromServer, OutputStream toServer,
                                  CopyListener listener) throws IOException {
        long start = System.nanoTime();
        CopyListener l = listener == null ? CopyListener.NONE : listener;
        Counting wire = new Counting(toServer);
        InputStream in = new BufferedInputStream(fromServer, 64 * 1024);

        Set<StorePath> closure = source.closure(roots);
        List<StorePath> ordered = source.topoSort(closure);
        l.closureComputed(closure.size());

        boolean zstd = handshake(in, wire);
        AsyncOutputStream out = pipeline(wire, zstd);
        boolean done = false;
        try {
            Protocol.writePaths(out, Type.QUERY, ordered);
            out.flush();
            Set<StorePath> missing = readMissing(in, new HashSet<>(closure));
            List<StorePath> toSend = new ArrayList<>();
            for (StorePath p : ordered) {
                if (missing.contains(p)) {
                    toSend.add(p);
                }
            }
            l.missingPaths(List.copyOf(toSend));

            long narBytes = 0;
            if (!toSend.isEmpty()) {
                narBytes = send(toSend, in, out, l);
            }
            Frames.write(out, Type.GOODBYE, new Messages.Goodbye());
            out.close(); // ends a compressed stream, flushes, and leaves the wire open
            done = true;
            return new CopyResult(closure.size(), toSend.size(), narBytes, wire.count,
                    Duration.ofNanos(System.nanoTime() - start));
        } finally {
            if (!done) {
                out.abort();
            }
        }
    }

    /** Exchanges hellos; returns true if both sides will compress what the client sends from now on. */
    private boolean handshake(InputStream in, OutputStream wire) throws IOException {
        boolean offerZstd = options.compress() && Compression.available();
        OutputStream out = new BufferedOutputStream(wire, 8 * 1024);
        Frames.writeMagic(out);
        Frames.write(out, Type.HELLO, new Messages.Hello(Protocol.MAJOR, Protocol.MINOR, source.storeDir().path(),
                offerZstd ? List.of(Compression.ZSTD) : List.of()));
        out.flush();
        Frames.readMagic(in);
        Messages.Hello hello = Frames.expect(in, Type.HELLO).as(Messages.Hello::fromJson);
        if (hello.major() != Protocol.MAJOR) {
            throw new StoreException(ErrorCode.UNSUPPORTED_VERSION, "the host speaks protocol " + hello.major() + "."
                    + hello.minor() + ", this client " + Protocol.MAJOR + "." + Protocol.MINOR);
        }
        if (!source.storeDir().path().equals(hello.storeDir())) {
            throw new StoreException(ErrorCode.FOREIGN_STORE_DIR, "the host's store directory is " + hello.storeDir()
                    + ", ours is " + source.storeDir());
        }
        List<String> accepted = hello.capabilities() == null ? List.of() : hello.capabilities();
        if (accepted.contains(Compression.ZSTD) && !offerZstd) {
            throw Frames.protocol("the host accepted zstd, which was not offered");
        }
        return accepted.contains(Compression.ZSTD);
    }

    /**
     * What the client writes after the hello goes through a thread of its own: serialising NARs
     * (this thread) overlaps compressing and sending them (that thread), in bounded memory.
     */
    private static AsyncOutputStream pipeline(OutputStream wire, boolean zstd, int level) throws IOException {
        if (!zstd) {
            return new AsyncOutputStream(wire, wire::flush, () -> { }, "store-copy-send", PIPE_BUFFER, PIPE_BUFFERS);
        }
        // two stages: compressing, and encrypting/sending (MINA encrypts on the writing thread)
        AsyncOutputStream send = new AsyncOutputStream(wire, wire::flush, () -> { }, "store-copy-send",
                PIPE_BUFFER, PIPE_BUFFERS);
        Cuttable cuttable = new Cuttable(send);
        ZstdOutputStreamNoFinalizer z = Compression.compressing(cuttable, level);
        return new AsyncOutputStream(z, () -> {
            Compression.finish(z);
            send.close(); // writes the rest and flushes the wire
        }, () -> {
            cuttable.cut = true; // free the compressor's native memory without sending anything more
            send.abort();
            Compression.finish(z);
        }, "store-copy-zstd", PIPE_BUFFER, PIPE_BUFFERS);
    }

    private AsyncOutputStream pipeline(OutputStream wire, boolean zstd) throws IOException {
        return pipeline(wire, zstd, options.zstdLevel());
    }

    private Set<StorePath> readMissing(InputStream in, Set<StorePath> asked) throws IOException {
        Set<StorePath> missing = new HashSet<>();
        while (true) {
            Messages.Paths chunk = Frames.expect(in, Type.MISSING).as(Messages.Paths::fromJson);
            for (String base : chunk.paths()) {
                StorePath p;
                try {
                    p = StorePath.fromBaseName(source.storeDir(), base);
                } catch (IllegalArgumentException e) {
                    throw Frames.protocol("host answered an invalid path '" + base + "'");
                }
                if (!asked.contains(p)) {
                    throw Frames.protocol("host answered a path that was not asked for: " + p);
                }
                missing.add(p);
            }
            if (chunk.last()) {
                return missing;
            }
        }
    }

    /** Streams every path, then reads the one verdict. Returns the NAR bytes sent. */
    private long send(List<StorePath> toSend, InputStream in, OutputStream out, CopyListener l) throws IOException {
        long narBytes = 0;
        try {
            for (StorePath p : toSend) {
                PathInfo info = source.requireInfo(p);
                Frames.write(out, Type.PATH, new Messages.PathHeader(info.narSize(), NarInfo.render(info)));
                l.pathStarted(info);
                Progress progress = new Progress(out, info, l);
                source.writeNar(p, progress);
                if (progress.count != info.narSize()) {
                    throw new StoreException(ErrorCode.SIZE_MISMATCH, p.absolute(), "the local NAR has "
                            + progress.count + " bytes, its metadata says " + info.narSize() + "; run verify");
                }
                narBytes += progress.count;
                l.pathFinished(info);
            }
            Frames.write(out, Type.END, new Messages.End(toSend.size()));
            out.flush();
        } catch (IOException e) {
            if (e instanceof StoreException) {
                throw e; // our own failure: the host sees the stream end and discards the partial path
            }
            // the host may have stopped reading because it refused something; its reason is better than ours
            throw hostReason(in, e);
        }
        Frame verdict = Frames.expect(in, Type.RESULT);
        int imported = verdict.as(Messages.Result::fromJson).imported();
        if (imported != toSend.size()) {
            throw Frames.protocol("host registered " + imported + " of " + toSend.size() + " paths");
        }
        return narBytes;
    }

    private static IOException hostReason(InputStream in, IOException writeFailure) {
        try {
            Frame f = Frames.read(in);
            if (f != null && f.type() == Type.ERROR) {
                StoreProtocolException e = f.as(Messages.Error::fromJson).toException();
                e.addSuppressed(writeFailure);
                return e;
            }
        } catch (IOException | RuntimeException ignored) {
            // nothing readable: report the write failure
        }
        return writeFailure;
    }

    /** Counts everything written to the host. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }

    /** Passes writes on until cut, then drops them. */
    private static final class Cuttable extends FilterOutputStream {
        volatile boolean cut;

        Cuttable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (!cut) {
                out.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!cut) {
                out.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            if (!cut) {
                out.flush();
            }
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }

    /** Counts one path's NAR bytes and reports them. */
    private static final class Progress extends FilterOutputStream {
        private final PathInfo info;
        private final CopyListener listener;
        long count;

        Progress(OutputStream out, PathInfo info, CopyListener listener) {
            super(out);
            this.info = info;
            this.listener = listener;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
            listener.narProgress(info, count);
        }

        @Override
        public void flush() {
            // NarWriter flushes after each path; the protocol flushes only when it waits for the host
        }

        @Override
        public void close() {
            // the protocol stream stays open
        }
    }
}
