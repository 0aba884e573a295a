package dev.flotilla.store.copy;

import dev.flotilla.store.ErrorCode;
import dev.flotilla.store.ImportBatch;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.NarInfo;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.StoreException;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.TrustedKeys;
import dev.flotilla.store.copy.Frames.Frame;
import dev.flotilla.store.copy.Frames.Type;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The host side of the copy protocol, one instance per channel (an SSH subsystem or stdio).
 *
 * <p>After the handshake it answers commands until the client says goodbye or closes: a query
 * (which of these paths are missing), or a stream of paths, each a header and its raw NAR, which it
 * imports one by one through an {@link ImportBatch} — so each is verified (store directory,
 * trusted signature, references, hash, size) before it becomes valid, finished paths are committed
 * in the background while the next ones arrive (a transfer cut off later keeps them), and a refused
 * or cut-off path leaves nothing. After the first refused path the rest of the stream is read and discarded, and
 * the one reply names that path and why. Only a broken frame stops the session, since the stream
 * can no longer be followed.
 */
public final class StoreProtocolServer {
    /** Most paths one query may name; a NixOS closure has a few thousand. */
    static final int MAX_QUERY_PATHS = 200_000;
    /** Read-ahead: at most 16 × 256 KiB received but not yet consumed, per session. */
    private static final int READ_AHEAD_BUFFER = 256 * 1024;
    private static final int READ_AHEAD_BUFFERS = 16;

    private final LocalStore store;
    private final TrustedKeys trusted;
    private final Listener listener;
    private final Set<String> capabilities;

    /** Hooks for audit logs; called on the serving thread. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        /** A path passed every check and is now valid. */
        default void pathImported(PathInfo info) {
        }

        /** A path was refused; {@code path} may be null if its header could not be read. */
        default void pathRefused(String path, ErrorCode code, String reason) {
        }
    }

    public StoreProtocolServer(LocalStore store, TrustedKeys trusted) {
        this(store, trusted, Listener.NONE);
    }

    public StoreProtocolServer(LocalStore store, TrustedKeys trusted, Listener listener) {
        this(store, trusted, listener, Protocol.CAPABILITIES);
    }

    /** With only some of the capabilities, to stand in for an older host in tests. */
    StoreProtocolServer(LocalStore store, TrustedKeys trusted, Listener listener, Set<String> capabilities) {
        this.store = Objects.requireNonNull(store, "store");
        this.trusted = Objects.requireNonNull(trusted, "trusted");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.capabilities = Set.copyOf(capabilities);
    }

    /**
     * Serves one client; returns when it says goodbye or closes the stream between commands.
     * Refused paths and an unsupported protocol version are answered, not thrown. Throws a
     * {@link StoreException} with {@link ErrorCode#PROTOCOL} when the client breaks the protocol
     * (after telling it why), and {@link EOFException} when the client vanishes in the middle of a
     * message; either way no partial path remains. The streams are not closed.
     */
    public void serve(InputStream rawIn, OutputStream rawOut) throws IOException {
        InputStream in = new BufferedInputStream(rawIn, 64 * 1024);
        OutputStream out = new BufferedOutputStream(rawOut, 64 * 1024);
        AsyncInputStream ahead = null;
        try {
            List<String> accepted = handshake(in, out);
            if (accepted == null) {
                return;
            }
            boolean compressed = accepted.contains(Compression.ZSTD);
            // everything the client sends after its hello is one zstd stream if negotiated
            InputStream decoded = compressed ? Compression.decompressing(in) : in;
            // read (and decompress) ahead on a thread of its own, so that the client keeps sending
            // while this thread writes and fsyncs files
            ahead = new AsyncInputStream(decoded, () -> closeQuietly(decoded, compressed), "store-copy-receive",
                    READ_AHEAD_BUFFER, READ_AHEAD_BUFFERS);
            in = ahead;
            while (true) {
                Frame f = nextCommand(in, compressed);
                if (f == null || f.type() == Type.GOODBYE) {
                    return;
                }
                switch (f.type()) {
                    case QUERY -> answerQuery(f, in, out);
                    case PATH, END -> receivePaths(f, in, out);
                    default -> throw Frames.protocol("unexpected " + f.type() + " frame");
                }
                out.flush();
            }
        } catch (StoreException e) {
            // a broken frame or message order: say why if the channel still carries it, then stop
            sendError(out, e.code(), e.path(), e.reason());
            throw e;
        } finally {
            if (ahead != null) {
                ahead.close(); // the reading thread frees the decoder when it stops
            }
        }
    }

    private static void closeQuietly(InputStream decoded, boolean compressed) {
        if (compressed) {
            try {
                decoded.close(); // frees the decoder; the raw stream stays open
            } catch (IOException ignored) {
                // nothing to report on a stream being abandoned
            }
        }
    }

    /**
     * The client's next command, or null if it closed the stream between commands. A compressed
     * stream cut between commands (a client that gave up after a refusal) ends the session the same way.
     */
    private static Frame nextCommand(InputStream in, boolean compressed) throws IOException {
        int first;
        try {
            first = in.read();
        } catch (EOFException e) {
            if (!compressed) {
                throw e;
            }
            first = -1;
        }
        return first < 0 ? null : Frames.readAfter(first, in);
    }

    /** Exchanges hellos; returns the capabilities in force, or null if the session must end. */
    private List<String> handshake(InputStream in, OutputStream out) throws IOException {
        Frames.readMagic(in);
        Messages.Hello hello = Frames.expect(in, Type.HELLO).as(Messages.Hello::fromJson);
        List<String> accepted = Protocol.accept(hello.capabilities(), capabilities);
        Frames.writeMagic(out);
        Frames.write(out, Type.HELLO, new Messages.Hello(Protocol.MAJOR, Protocol.MINOR, store.storeDir().path(),
                accepted));
        if (hello.major() != Protocol.MAJOR) {
            sendError(out, ErrorCode.UNSUPPORTED_VERSION, null, "protocol " + hello.major() + "." + hello.minor()
                    + " is not supported; this host speaks " + Protocol.MAJOR + "." + Protocol.MINOR);
            return null;
        }
        out.flush();
        return accepted;
    }

    private void answerQuery(Frame first, InputStream in, OutputStream out) throws IOException {
        List<StorePath> missing = new ArrayList<>();
        int seen = 0;
        Messages.Paths chunk = first.as(Messages.Paths::fromJson);
        while (true) {
            for (String base : chunk.paths()) {
                if (++seen > MAX_QUERY_PATHS) {
                    throw Frames.protocol("query names more than " + MAX_QUERY_PATHS + " paths");
                }
                StorePath p = parse(base);
                if (!store.isValid(p)) {
                    missing.add(p);
                }
            }
            if (chunk.last()) {
                break;
            }
            chunk = Frames.expect(in, Type.QUERY).as(Messages.Paths::fromJson);
        }
        Protocol.writePaths(out, Type.MISSING, missing);
    }

    private void receivePaths(Frame first, InputStream in, OutputStream out) throws IOException {
        StoreException refusal = null;
        int received = 0;
        try (ImportBatch batch = store.importBatch(trusted, listener::pathImported)) {
            Frame f = first;
            while (f.type() == Type.PATH) {
                received++;
                Messages.PathHeader header = f.as(Messages.PathHeader::fromJson);
                if (header.narSize() <= 0) {
                    throw Frames.protocol("path header with NAR size " + header.narSize());
                }
                BoundedInputStream nar = new BoundedInputStream(in, header.narSize());
                if (refusal == null) {
                    try {
                        PathInfo claimed = NarInfo.parse(store.storeDir(), header.narinfo());
                        if (claimed.narSize() != header.narSize()) {
                            throw new StoreException(ErrorCode.SIZE_MISMATCH, claimed.path().absolute(),
                                    "header and narinfo disagree on the NAR size");
                        }
                        batch.add(claimed, nar);
                    } catch (EOFException e) {
                        // the client went away mid-NAR: that path left nothing; the complete ones before it stay
                        commitQuietly(batch, e);
                        throw e;
                    } catch (StoreException e) {
                        refusal = e;
                        listener.pathRefused(e.path(), e.code(), e.reason());
                        batch.commit(); // the paths before the refused one are complete and verified
                    }
                }
                nar.drain();
                f = Frames.read(in);
                if (f == null) {
                    EOFException eof = new EOFException("the client closed the stream inside a transfer");
                    commitQuietly(batch, eof);
                    throw eof;
                }
            }
            if (f.type() != Type.END) {
                throw Frames.protocol("expected PATH or END, got " + f.type());
            }
            int count = f.as(Messages.End::fromJson).count();
            if (count != received) {
                throw Frames.protocol("client announced " + count + " paths but sent " + received);
            }
            batch.commit();
            if (refusal != null) {
                sendError(out, refusal.code(), refusal.path(), refusal.reason()
                        + " (" + batch.registered() + " earlier path(s) of this transfer were registered)");
            } else {
                Frames.write(out, Type.RESULT, new Messages.Result(received));
            }
        }
    }

    private static void commitQuietly(ImportBatch batch, IOException reportTo) {
        try {
            batch.commit();
        } catch (IOException | RuntimeException e) {
            reportTo.addSuppressed(e);
        }
    }

    private StorePath parse(String baseName) throws StoreException {
        try {
            return StorePath.fromBaseName(store.storeDir(), baseName);
        } catch (IllegalArgumentException e) {
            throw Frames.protocol("invalid store path '" + baseName + "': " + e.getMessage());
        }
    }

    private static void sendError(OutputStream out, ErrorCode code, String path, String message) {
        try {
            Frames.write(out, Type.ERROR, new Messages.Error(code.name(), path, message));
            out.flush();
        } catch (IOException ignored) {
            // the channel is gone; the caller reports the original error
        }
    }
}
