package dev.flotilla.store.copy;

import dev.flotilla.store.ErrorCode;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StoreException;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.TrustedKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreProtocolTest {
    @TempDir
    Path tmp;
    SigningKey key = SigningKey.generate("controller-1");
    TrustedKeys trusted = TrustedKeys.of(key.publicKey());
    LocalStore controller;
    LocalStore host;
    PathInfo lib;
    PathInfo app;
    PathInfo top;

    @BeforeEach
    void setUp() throws IOException {
        controller = new LocalStore(tmp.resolve("controller"), StoreDir.DEFAULT);
        host = new LocalStore(tmp.resolve("host"), StoreDir.DEFAULT);
        lib = controller.addText("lib", "library", Set.of(), key);
        app = controller.addText("app", "uses " + lib.path(), Set.of(lib.path()), key);
        Path tree = Files.createDirectories(tmp.resolve("src/system/etc"));
        Files.writeString(tree.resolve("motd"), "hello " + app.path() + "\n");
        Files.writeString(tree.resolve("big"), "x".repeat(300_000));
        top = controller.addTree(tmp.resolve("src/system"), "system", Set.of(app.path(), lib.path()), key);
    }

    CopyResult copy(LocalStore from, LocalStore to, TrustedKeys keys, StorePath... roots) throws Exception {
        CopyHarness h = new CopyHarness(to, keys);
        try {
            return new StoreProtocolClient(from).copyClosure(List.of(roots), h.fromServer, h.toServer, CopyListener.NONE);
        } finally {
            h.close();
            assertNull(h.serverOutcome());
        }
    }

    static Set<String> entries(LocalStore s) throws IOException {
        try (Stream<Path> l = Files.list(s.physicalRoot().resolve(s.storeDir().path().substring(1)))) {
            return l.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void copiesAClosureThenNothing() throws Exception {
        List<StorePath> started = new ArrayList<>();
        CopyHarness h = new CopyHarness(host, trusted);
        CopyResult r = new StoreProtocolClient(controller).copyClosure(List.of(top.path()), h.fromServer, h.toServer,
                new CopyListener() {
                    @Override
                    public void pathStarted(PathInfo info) {
                        started.add(info.path());
                    }
                });
        h.close();
        assertNull(h.serverOutcome());
        assertEquals(3, r.pathsInClosure());
        assertEquals(3, r.pathsSent());
        assertEquals(lib.narSize() + app.narSize() + top.narSize(), r.narBytesSent());
        assertTrue(r.wireBytesSent() > r.narBytesSent(), "not compressed by default: " + r);
        assertEquals(List.of(lib.path(), app.path(), top.path()), started, "references go first");
        for (PathInfo p : List.of(lib, app, top)) {
            PathInfo there = host.requireInfo(p.path());
            assertEquals(p.narHash(), there.narHash());
            assertEquals(p.references(), there.references());
            assertEquals(p.signatures(), there.signatures());
        }
        assertEquals(List.of(), host.verify());

        CopyResult again = copy(controller, host, trusted, top.path());
        assertEquals(3, again.pathsInClosure());
        assertEquals(0, again.pathsSent());
        assertEquals(0, again.narBytesSent());
    }

    @Test
    void refusesUnsignedPathsAndKeepsNothingOfThem() throws Exception {
        PathInfo unsigned = controller.addText("unsigned", "u " + lib.path(), Set.of(lib.path()), null);
        StoreProtocolException e = assertThrows(StoreProtocolException.class,
                () -> copy(controller, host, trusted, unsigned.path()));
        assertEquals(ErrorCode.BAD_SIGNATURE, e.code());
        assertEquals(unsigned.path().absolute(), e.path());
        assertFalse(host.isValid(unsigned.path()));
        assertEquals(Set.of(lib.path().baseName()), entries(host), "only the signed dependency was registered");
    }

    @Test
    void refusesPathsSignedByAnUntrustedKey() throws Exception {
        SigningKey impostor = SigningKey.generate("controller-1"); // same name, other key
        PathInfo forged = controller.addText("forged", "f", Set.of(), impostor);
        StoreProtocolException e = assertThrows(StoreProtocolException.class, () -> copy(controller, host, trusted, forged.path()));
        assertEquals(ErrorCode.BAD_SIGNATURE, e.code());
        assertEquals(Set.of(), entries(host));
        assertEquals(ErrorCode.BAD_SIGNATURE, assertThrows(StoreProtocolException.class,
                () -> copy(controller, host, TrustedKeys.NONE, lib.path())).code());
    }

    @Test
    void refusesCorruptedContent() throws Exception {
        // same size, other bytes: the NAR no longer has the signed hash
        Path big = controller.physical(top.path()).resolve("etc/big");
        Files.setPosixFilePermissions(big, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(big, "y".repeat(300_000));
        StoreProtocolException e = assertThrows(StoreProtocolException.class, () -> copy(controller, host, trusted, top.path()));
        assertEquals(ErrorCode.HASH_MISMATCH, e.code());
        assertEquals(top.path().absolute(), e.path());
        assertFalse(host.isValid(top.path()));
        assertEquals(Set.of(lib.path().baseName(), app.path().baseName()), entries(host));
    }

    @Test
    void interruptedStreamLeavesNoPartialPathAndARerunCompletes() throws Exception {
        long cutAfter = 200_000; // inside the NAR of the 300 kB file
        try (CopyHarness h = new CopyHarness(host, trusted, out -> new Cutting(out, cutAfter))) {
            assertThrows(IOException.class, () -> new StoreProtocolClient(controller, StoreProtocolClient.Options.UNCOMPRESSED)
                    .copyClosure(List.of(top.path()), h.fromServer, h.toServer, CopyListener.NONE));
            assertInstanceOf(EOFException.class, h.serverOutcome());
        }
        assertFalse(host.isValid(top.path()));
        assertEquals(Set.of(lib.path().baseName(), app.path().baseName()), entries(host), "no temporary, no partial path");

        CopyResult rerun = copy(controller, host, trusted, top.path());
        assertEquals(1, rerun.pathsSent());
        assertTrue(host.isValid(top.path()));
        assertEquals(List.of(), host.verify());
    }

    @Test
    void aStalledTransferCommitsItsFinishedPathsBeforeItEndsAndARerunSendsOnlyTheRest() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        long stallAfter = 200_000; // inside the NAR of the 300 kB file: lib and app have arrived whole
        try (CopyHarness h = new CopyHarness(host, trusted, out -> new Stalling(out, stallAfter, release))) {
            java.util.concurrent.CompletableFuture<?> copying = java.util.concurrent.CompletableFuture.runAsync(() ->
                    assertThrows(IOException.class, () -> new StoreProtocolClient(controller)
                            .copyClosure(List.of(top.path()), h.fromServer, h.toServer, CopyListener.NONE)));
            // the transfer is still open: the host commits what finished by itself, within its budget's age
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (!(host.isValid(lib.path()) && host.isValid(app.path()))) {
                assertTrue(System.nanoTime() < deadline, "finished paths were not committed during the transfer");
                Thread.sleep(10);
            }
            assertFalse(copying.isDone());
            assertEquals(List.of(), host.verify());
            release.countDown(); // now the connection drops
            copying.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertInstanceOf(EOFException.class, h.serverOutcome());
        }
        assertEquals(Set.of(lib.path().baseName(), app.path().baseName()), entries(host), "no temporary, no partial path");

        CopyResult rerun = copy(controller, host, trusted, top.path());
        assertEquals(1, rerun.pathsSent());
        assertEquals(top.narSize(), rerun.narBytesSent());
        assertEquals(List.of(), host.verify());
    }

    @Test
    void concurrentCopiesOfOneClosureBothSucceed() throws Exception {
        LocalStore hostAgain = new LocalStore(tmp.resolve("host"), StoreDir.DEFAULT); // a second channel's view
        java.util.concurrent.CompletableFuture<CopyResult> first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return copy(controller, host, trusted, top.path());
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        CopyResult second = copy(controller, hostAgain, trusted, top.path());
        CopyResult one = first.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(3, one.pathsInClosure());
        assertEquals(3, second.pathsInClosure());
        assertEquals(Set.of(lib.path().baseName(), app.path().baseName(), top.path().baseName()), entries(host));
        assertEquals(List.of(), host.verify());
    }

    @Test
    void refusesAnotherStoreDirectory() throws Exception {
        LocalStore other = new LocalStore(tmp.resolve("other"), new StoreDir("/other/store"));
        PathInfo p = other.addText("x", "x", Set.of(), key);
        StoreException e = assertThrows(StoreException.class, () -> copy(other, host, trusted, p.path()));
        assertEquals(ErrorCode.FOREIGN_STORE_DIR, e.code());
    }

    /** Passes {@code limit} bytes, then closes the pipe and fails, like a dropped connection. */
    static final class Cutting extends FilterOutputStream {
        private long left;

        Cutting(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                out.write(b, off, (int) left);
                left = 0;
                out.close();
                throw new IOException("connection lost");
            }
            out.write(b, off, len);
            left -= len;
        }
    }

    /** Passes {@code limit} bytes, then waits for {@code release} and fails like a dropped connection. */
    static final class Stalling extends FilterOutputStream {
        private final java.util.concurrent.CountDownLatch release;
        private long left;

        Stalling(OutputStream out, long limit, java.util.concurrent.CountDownLatch release) {
            super(out);
            this.left = limit;
            this.release = release;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                out.write(b, off, (int) left);
                out.flush();
                left = 0;
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.close();
                throw new IOException("connection lost");
            }
            out.write(b, off, len);
            left -= len;
        }
    }
}
