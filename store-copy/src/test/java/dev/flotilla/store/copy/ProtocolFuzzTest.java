package dev.flotilla.store.copy;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.flotilla.json.JsonObject;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.NarInfo;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.TrustedKeys;
import dev.flotilla.store.fuzz.Mutator;
import dev.flotilla.store.internal.FsUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutation fuzzing of the frame decoder and of a whole server session, compressed or not: any
 * input ends the session normally or with an {@link IOException} (the module's
 * {@link dev.flotilla.store.StoreException} among them), never another exception; the host's store
 * then holds only complete, verified paths and nothing else, and nothing is written outside it.
 */
class ProtocolFuzzTest {
    private static final List<Function<JsonObject, ?>> DECODERS = List.of(Messages.Hello::fromJson, Messages.Paths::fromJson,
            Messages.PathHeader::fromJson, Messages.End::fromJson, Messages.Result::fromJson, Messages.Error::fromJson,
            Messages.Goodbye::fromJson);

    @TempDir
    Path tmp;

    @Test
    void framesDecodeOrFailWithAnIOException() {
        Mutator m = new Mutator(Long.getLong("fuzz.seed", 99L));
        List<byte[]> seeds = new ArrayList<>();
        for (Frames.Type t : Frames.Type.values()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try {
                Frames.write(b, t, new Messages.Paths(List.of("abc"), true));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            seeds.add(b.toByteArray());
        }
        int iterations = Integer.getInteger("fuzz.iterations", 3000) * 3;
        for (int i = 0; i < iterations; i++) {
            byte[] input = m.mutate(seeds.get(m.random().nextInt(seeds.size())), seeds.get(m.random().nextInt(seeds.size())));
            ByteArrayInputStream in = new ByteArrayInputStream(input);
            try {
                Frames.Frame f;
                while ((f = Frames.read(in)) != null) {
                    for (Function<JsonObject, ?> fromJson : DECODERS) {
                        try {
                            f.as(fromJson); // the JSON layer must refuse with a StoreException too
                        } catch (IOException e) {
                            // refused: fine
                        }
                    }
                }
            } catch (IOException e) {
                // refused: fine
            } catch (Throwable t) {
                fail("frames " + HexFormat.of().formatHex(input) + " raised " + t, t);
            }
        }
    }

    @Test
    void serverSessionsSurviveAnyInput() throws IOException {
        SigningKey key = SigningKey.generate("controller-1");
        TrustedKeys trusted = TrustedKeys.of(key.publicKey());
        LocalStore controller = new LocalStore(tmp.resolve("controller"), StoreDir.DEFAULT);
        PathInfo lib = controller.addText("lib", "library", Set.of(), key);
        Path src = Files.createDirectories(tmp.resolve("src/app/bin"));
        Files.writeString(src.resolve("run"), "uses " + lib.path());
        Files.createSymbolicLink(src.resolve("lib"), Path.of(lib.path().absolute()));
        PathInfo app = controller.addTree(tmp.resolve("src/app"), "app", Set.of(lib.path()), key);
        byte[] plain = session(controller, List.of(lib, app));
        List<byte[]> seeds = List.of(plain, withHello(plain, false), withHello(plain, true));

        Path work = Files.createDirectory(tmp.resolve("work"));
        Set<String> outside = list(tmp);
        Mutator m = new Mutator(Long.getLong("fuzz.seed", 4242L));
        int iterations = Integer.getInteger("fuzz.iterations", 3000) / 2;
        int completed = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] input = i < seeds.size() ? withHello(seeds.get(i), i == 2) : mutated(m, plain);
            Path root = work.resolve("h" + i);
            LocalStore host = new LocalStore(root, StoreDir.DEFAULT);
            try {
                new StoreProtocolServer(host, trusted).serve(new ByteArrayInputStream(input), new ByteArrayOutputStream());
                completed++;
            } catch (IOException e) {
                // refused or cut off: fine, as long as the store is clean (below)
            } catch (Throwable t) {
                fail("session " + HexFormat.of().formatHex(input) + " raised " + t, t);
            }
            assertEquals(List.of(), host.verify());
            Set<String> valid = host.validPaths().stream().map(p -> p.baseName()).collect(Collectors.toSet());
            assertEquals(valid, list(root.resolve("flotilla/store")), "partial or temporary content left");
            assertEquals(Set.of("flotilla"), list(root));
            FsUtil.deleteTree(root);
        }
        assertEquals(outside, list(tmp), "wrote outside the host roots");
        assertTrue(completed >= seeds.size(), completed + " sessions completed");
    }

    /** A mutation of the session after the hello, sent plain or (structure-aware) compressed, or of the raw bytes. */
    private static byte[] mutated(Mutator m, byte[] plain) throws IOException {
        return switch (m.random().nextInt(3)) {
            case 0 -> withHello(m.mutate(plain, plain), false);
            case 1 -> withHello(m.mutate(plain, plain), true);
            default -> m.mutate(withHello(plain, m.random().nextBoolean()), plain);
        };
    }

    /** What a client sends after its hello: a query, every path with its NAR, END, GOODBYE. */
    private static byte[] session(LocalStore controller, List<PathInfo> paths) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Protocol.writePaths(out, Frames.Type.QUERY, paths.stream().map(PathInfo::path).toList());
        for (PathInfo p : paths) {
            Frames.write(out, Frames.Type.PATH, new Messages.PathHeader(p.narSize(), NarInfo.render(p)));
            controller.writeNar(p.path(), out);
        }
        Frames.write(out, Frames.Type.END, new Messages.End(paths.size()));
        Frames.write(out, Frames.Type.GOODBYE, new Messages.Goodbye());
        return out.toByteArray();
    }

    private static byte[] withHello(byte[] rest, boolean zstd) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Frames.writeMagic(out);
        Frames.write(out, Frames.Type.HELLO, new Messages.Hello(1, 0, "/flotilla/store", zstd ? List.of("zstd") : List.of()));
        if (!zstd) {
            out.writeBytes(rest);
            return out.toByteArray();
        }
        try (ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(out, 3)) {
            z.write(rest);
        }
        return out.toByteArray();
    }

    private static Set<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
