package dev.flotilla.store.nar;

import dev.flotilla.store.StoreDir;
import dev.flotilla.store.internal.FsUtil;
import dev.flotilla.store.fuzz.Mutator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutation fuzzing of {@link NarReader}: whatever the bytes, a restore either succeeds with a tree
 * that re-serialises to exactly the bytes it read, or fails with the module's
 * {@link dev.flotilla.store.StoreException} or another {@link IOException} and leaves nothing; it
 * never throws anything else, never writes outside its target, and never allocates by a length
 * field (the heap of the test JVM would not survive a 2^63-byte claim). Deterministic: the seed
 * and iteration count come from {@code -Dfuzz.seed} and {@code -Dfuzz.iterations}.
 */
class NarReaderFuzzTest {
    @TempDir
    Path tmp;

    @Test
    void anyInputGivesACanonicalTreeOrAStoreErrorAndNothingElse() throws IOException {
        long seed = Long.getLong("fuzz.seed", 20_240_517L);
        int iterations = Integer.getInteger("fuzz.iterations", 3000);
        List<byte[]> seeds = seeds(Files.createDirectory(tmp.resolve("fixtures")));
        Path work = Files.createDirectory(tmp.resolve("work"));
        Path canary = Files.writeString(tmp.resolve("canary"), "untouched");
        Set<String> before = list(tmp);
        Mutator mutator = new Mutator(seed);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] input = i < seeds.size() ? seeds.get(i)
                    : mutator.mutate(seeds.get(mutator.random().nextInt(seeds.size())),
                    seeds.get(mutator.random().nextInt(seeds.size())));
            Path box = Files.createDirectory(work.resolve("box" + i));
            Path target = box.resolve("out");
            try {
                NarSummary s = NarReader.restore(new ByteArrayInputStream(input), target,
                        new NarReader.Options(StoreDir.DEFAULT, 1 << 20, false, false));
                ByteArrayOutputStream again = new ByteArrayOutputStream();
                NarWriter.dump(target, again);
                assertArrayEquals(Arrays.copyOf(input, (int) s.narSize()), again.toByteArray(),
                        "restored tree is not canonical for input " + hex(input));
                accepted++;
            } catch (IOException e) {
                assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS), "left a partial tree: " + e + " for " + hex(input));
                rejected++;
            } catch (Throwable t) {
                fail("input " + hex(input) + " raised " + t, t);
            }
            Set<String> inBox = list(box);
            assertTrue(inBox.isEmpty() || inBox.equals(Set.of("out")), "wrote beside the target: " + inBox);
            FsUtil.deleteTree(box);
        }
        assertEquals(before, list(tmp), "wrote outside the work directory");
        assertEquals("untouched", Files.readString(canary));
        assertTrue(accepted >= seeds.size() && rejected > iterations / 2, accepted + " accepted, " + rejected + " rejected");
    }

    /** Valid NARs of every kind of object: the spec's fixtures, a store symlink, deep nesting, a big file. */
    static List<byte[]> seeds(Path dir) throws IOException {
        NarFixtures.create(dir);
        Path deep = Files.createDirectories(dir.resolve("deep/a/b/c/d"));
        Files.writeString(deep.resolve("f"), "deep");
        Files.createSymbolicLink(deep.resolve("up"), Path.of("../../x"));
        Files.createSymbolicLink(dir.resolve("deep/store"), Path.of("/flotilla/store/00000000000000000000000000000000-x/bin"));
        Files.write(dir.resolve("big"), new byte[70_000]);
        List<byte[]> out = new ArrayList<>();
        for (String name : List.of("hello.txt", "empty.txt", "eight", "run.sh", "link", "emptydir", "tree", "sortdir",
                "deep", "big")) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            NarWriter.dump(dir.resolve(name), b);
            out.add(b.toByteArray());
        }
        return out;
    }

    static Set<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    static String hex(byte[] b) {
        return b.length > 512 ? HexFormat.of().formatHex(b, 0, 512) + "…(" + b.length + " bytes)" : HexFormat.of().formatHex(b);
    }
}
