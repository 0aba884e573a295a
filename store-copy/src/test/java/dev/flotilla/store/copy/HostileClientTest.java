package dev.flotilla.store.copy;

import dev.flotilla.store.ErrorCode;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StoreException;
import dev.flotilla.store.TrustedKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The server facing clients that break the protocol. */
class HostileClientTest {
    @TempDir
    Path tmp;

    private Frames.Frame lastFrameAfterHello(byte[] reply) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(reply);
        Frames.readMagic(in);
        Frames.expect(in, Frames.Type.HELLO);
        return Frames.read(in);
    }

    private StoreException serve(byte[] input, ByteArrayOutputStream reply) throws IOException {
        LocalStore host = new LocalStore(tmp.resolve("h"), StoreDir.DEFAULT);
        return assertThrows(StoreException.class,
                () -> new StoreProtocolServer(host, TrustedKeys.NONE).serve(new ByteArrayInputStream(input), reply));
    }

    /** A hello offering no capability, so that what follows is read uncompressed. */
    private static ByteArrayOutputStream hello(int major) throws IOException {
        return hello(major, List.of());
    }

    private static ByteArrayOutputStream hello(int major, List<String> capabilities) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Frames.writeMagic(out);
        Frames.write(out, Frames.Type.HELLO, new Messages.Hello(major, 0, "/flotilla/store", capabilities));
        return out;
    }

    @Test
    void refusesUnknownMajorVersionAfterSayingItsOwn() throws IOException {
        LocalStore host = new LocalStore(tmp.resolve("h"), StoreDir.DEFAULT);
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        new StoreProtocolServer(host, TrustedKeys.NONE).serve(new ByteArrayInputStream(hello(2, List.of("zstd", "future")).toByteArray()), reply);
        ByteArrayInputStream in = new ByteArrayInputStream(reply.toByteArray());
        Frames.readMagic(in);
        Messages.Hello h = Frames.expect(in, Frames.Type.HELLO).as(Messages.Hello::fromJson);
        assertEquals(1, h.major());
        assertEquals(List.of("zstd"), h.capabilities(), "the one capability offered and implemented");
        StoreProtocolException e = assertThrows(StoreProtocolException.class, () -> Frames.expect(in, Frames.Type.RESULT));
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, e.code());
    }

    @Test
    void refusesBadMagic() throws IOException {
        StoreException e = serve("GET / HTTP/1.1\r\n".getBytes(), new ByteArrayOutputStream());
        assertEquals(ErrorCode.PROTOCOL, e.code());
    }

    @Test
    void refusesAbsurdFramesWithoutAllocating() throws IOException {
        ByteArrayOutputStream in = hello(1);
        in.write(new byte[] {2, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        StoreException e = serve(in.toByteArray(), reply);
        assertEquals(ErrorCode.PROTOCOL, e.code());
        assertEquals(Frames.Type.ERROR, lastFrameAfterHello(reply.toByteArray()).type());
    }

    @Test
    void refusesUnknownFrameTypesAndBadPaths() throws IOException {
        ByteArrayOutputStream in = hello(1);
        in.write(new byte[] {99, 0, 0, 0, 0});
        assertEquals(ErrorCode.PROTOCOL, serve(in.toByteArray(), new ByteArrayOutputStream()).code());
        ByteArrayOutputStream q = hello(1);
        Frames.write(q, Frames.Type.QUERY, new Messages.Paths(List.of("../../etc/passwd"), true));
        assertEquals(ErrorCode.PROTOCOL, serve(q.toByteArray(), new ByteArrayOutputStream()).code());
    }

    @Test
    void refusesAMiscountedTransfer() throws IOException {
        ByteArrayOutputStream in = hello(1);
        Frames.write(in, Frames.Type.END, new Messages.End(3));
        assertEquals(ErrorCode.PROTOCOL, serve(in.toByteArray(), new ByteArrayOutputStream()).code());
    }
}
