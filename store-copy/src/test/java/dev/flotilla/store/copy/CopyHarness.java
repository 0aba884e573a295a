package dev.flotilla.store.copy;

import dev.flotilla.store.LocalStore;
import dev.flotilla.store.TrustedKeys;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A server on its own thread, joined to the test by two pipes, as an SSH channel would join them. */
final class CopyHarness implements AutoCloseable {
    final InputStream fromServer;
    final OutputStream toServer;
    private final CompletableFuture<Void> server = new CompletableFuture<>();

    CopyHarness(LocalStore host, TrustedKeys trusted) throws IOException {
        this(host, trusted, UnaryOperator.identity());
    }

    /** {@code wrapClientOut} may interpose on what the client writes (to cut the stream, say). */
    CopyHarness(LocalStore host, TrustedKeys trusted, UnaryOperator<OutputStream> wrapClientOut) throws IOException {
        this(host, trusted, wrapClientOut, Protocol.CAPABILITIES);
    }

    /** {@code capabilities}: those of the server, fewer to stand in for an older host. */
    CopyHarness(LocalStore host, TrustedKeys trusted, UnaryOperator<OutputStream> wrapClientOut,
                Set<String> capabilities) throws IOException {
        Pipe up = new Pipe(64 * 1024);
        Pipe down = new Pipe(64 * 1024);
        InputStream serverIn = up.in;
        OutputStream serverOut = down.out;
        this.fromServer = down.in;
        this.toServer = wrapClientOut.apply(up.out);
        Thread t = new Thread(() -> {
            try (serverIn; serverOut) {
                new StoreProtocolServer(host, trusted, StoreProtocolServer.Listener.NONE, capabilities)
                        .serve(serverIn, serverOut);
                server.complete(null);
            } catch (Throwable e) {
                server.completeExceptionally(e);
            }
        }, "store-server");
        t.setDaemon(true);
        t.start();
    }

    /** Waits for the server; returns its failure, or null if it ended cleanly. */
    Throwable serverOutcome() throws InterruptedException {
        try {
            server.get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("server did not finish", e);
        }
    }

    @Override
    public void close() throws IOException {
        toServer.close();
    }
}
