package dev.flotilla.store.copy;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.flotilla.json.JsonObject;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code zstd} capability: used only when both sides have it, and the stores come out identical either way. */
class CompressionTest {
    @TempDir
    Path tmp;
    SigningKey key = SigningKey.generate("controller-1");
    TrustedKeys trusted = TrustedKeys.of(key.publicKey());
    LocalStore controller;
    PathInfo top;
    List<PathInfo> all;

    @BeforeEach
    void setUp() throws IOException {
        assertTrue(Compression.available(), "zstd-jni's native library must load here");
        controller = new LocalStore(tmp.resolve("controller"), StoreDir.DEFAULT);
        PathInfo lib = controller.addText("lib", "library ".repeat(10_000), Set.of(), key);
        Path tree = Files.createDirectories(tmp.resolve("src/system/bin"));
        byte[] noise = new byte[700_000]; // incompressible, and larger than the client's pipe buffers
        new Random(5).nextBytes(noise);
        Files.write(tree.resolve("noise"), noise);
        Files.writeString(tree.resolve("text"), ("uses " + lib.path() + "\n").repeat(20_000));
        top = controller.addTree(tmp.resolve("src/system"), "system", Set.of(lib.path()), key);
        all = List.of(lib, top);
    }

    @ParameterizedTest(name = "client offers zstd: {0}, host has zstd: {1}")
    @CsvSource({"true,true", "true,false", "false,true", "false,false"})
    void everyCombinationCopiesByteIdenticalPaths(boolean clientCompresses, boolean hostHasZstd) throws Exception {
        LocalStore host = new LocalStore(tmp.resolve("host"), StoreDir.DEFAULT);
        CopyHarness h = new CopyHarness(host, trusted, out -> out,
                hostHasZstd ? Set.of(Compression.ZSTD) : Set.of());
        StoreProtocolClient client = new StoreProtocolClient(controller,
                clientCompresses ? StoreProtocolClient.Options.ZSTD : StoreProtocolClient.Options.UNCOMPRESSED);
        CopyResult r = client.copyClosure(List.of(top.path()), h.fromServer, h.toServer, CopyListener.NONE);
        h.close();
        assertNull(h.serverOutcome());
        assertEquals(2, r.pathsSent());
        if (clientCompresses && hostHasZstd) {
            assertTrue(r.wireBytesSent() < r.narBytesSent() * 0.8, "compressed: " + r);
        } else {
            assertTrue(r.wireBytesSent() > r.narBytesSent(), "uncompressed: " + r);
        }
        for (PathInfo p : all) {
            assertArrayEquals(nar(controller, p.path()), nar(host, p.path()), p.path() + " differs");
            assertEquals(p.signatures(), host.requireInfo(p.path()).signatures());
        }
        assertEquals(List.of(), host.verify());
    }

    @Test
    void anOldClientWhoseHelloHasNoCapabilitiesIsServedUncompressed() throws IOException {
        LocalStore host = new LocalStore(tmp.resolve("host"), StoreDir.DEFAULT);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        Frames.writeMagic(request);
        Frames.write(request, Frames.Type.HELLO,
                JsonObject.builder().put("major", 1).put("minor", 0).put("storeDir", "/flotilla/store").build());
        Protocol.writePaths(request, Frames.Type.QUERY, List.of(top.path()));
        Frames.write(request, Frames.Type.GOODBYE, new Messages.Goodbye());
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        new StoreProtocolServer(host, trusted).serve(new ByteArrayInputStream(request.toByteArray()), reply);
        ByteArrayInputStream in = new ByteArrayInputStream(reply.toByteArray());
        Frames.readMagic(in);
        assertEquals(List.of(), Frames.expect(in, Frames.Type.HELLO).as(Messages.Hello::fromJson).capabilities());
        assertEquals(List.of(top.path().baseName()), Frames.expect(in, Frames.Type.MISSING).as(Messages.Paths::fromJson).paths());
    }

    @Test
    void aCompressedStreamCutMidPathLeavesNothingAndARerunCompletes() throws Exception {
        LocalStore host = new LocalStore(tmp.resolve("host"), StoreDir.DEFAULT);
        try (CopyHarness h = new CopyHarness(host, trusted, out -> new StoreProtocolTest.Cutting(out, 300_000))) {
            assertThrows(IOException.class, () -> new StoreProtocolClient(controller, StoreProtocolClient.Options.ZSTD)
                    .copyClosure(List.of(top.path()), h.fromServer, h.toServer, CopyListener.NONE));
            assertInstanceOf(EOFException.class, h.serverOutcome());
        }
        assertFalse(host.isValid(top.path()));
        assertEquals(List.of(), host.verify());
        CopyHarness h = new CopyHarness(host, trusted);
        CopyResult rerun = new StoreProtocolClient(controller, StoreProtocolClient.Options.ZSTD).copyClosure(List.of(top.path()), h.fromServer,
                h.toServer, CopyListener.NONE);
        h.close();
        assertNull(h.serverOutcome());
        assertEquals(1, rerun.pathsSent(), "lib arrived before the cut");
        assertArrayEquals(nar(controller, top.path()), nar(host, top.path()));
    }

    @Test
    void aFrameNeedingAHugeWindowIsRefusedBeforeAllocating() throws IOException {
        LocalStore host = new LocalStore(tmp.resolve("host"), StoreDir.DEFAULT);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        Frames.writeMagic(request);
        Frames.write(request, Frames.Type.HELLO, new Messages.Hello(1, 0, "/flotilla/store", List.of("zstd")));
        try (ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(request, 3)) {
            z.setWindowLog(30); // 1 GiB window declared in the frame header
            Protocol.writePaths(z, Frames.Type.QUERY, List.of(top.path()));
            z.write(new byte[3 << 20]);
        }
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        StoreException e = assertThrows(StoreException.class, () -> new StoreProtocolServer(host, trusted)
                .serve(new ByteArrayInputStream(request.toByteArray()), reply));
        assertEquals(ErrorCode.PROTOCOL, e.code());
    }

    @Test
    void garbageWhereACompressedStreamShouldBeIsAProtocolError() throws IOException {
        LocalStore host = new LocalStore(tmp.resolve("host"), StoreDir.DEFAULT);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        Frames.writeMagic(request);
        Frames.write(request, Frames.Type.HELLO, new Messages.Hello(1, 0, "/flotilla/store", List.of("zstd")));
        Protocol.writePaths(request, Frames.Type.QUERY, List.of(top.path())); // not compressed: wrong
        StoreException e = assertThrows(StoreException.class, () -> new StoreProtocolServer(host, trusted)
                .serve(new ByteArrayInputStream(request.toByteArray()), new ByteArrayOutputStream()));
        assertEquals(ErrorCode.PROTOCOL, e.code());
    }

    static byte[] nar(LocalStore store, StorePath path) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.writeNar(path, out);
        return out.toByteArray();
    }
}
