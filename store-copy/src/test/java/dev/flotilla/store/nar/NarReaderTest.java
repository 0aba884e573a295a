package dev.flotilla.store.nar;

import dev.flotilla.store.ErrorCode;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;

import static dev.flotilla.store.nar.NarBuilder.nar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NarReaderTest {
    private static final NarReader.Options STORE = new NarReader.Options(StoreDir.DEFAULT, 1 << 20, false, false);

    @TempDir
    Path tmp;

    private static byte[] dump(Path p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NarWriter.dump(p, out);
        return out.toByteArray();
    }

    @Test
    void roundTripsTheFixtures() throws IOException {
        Path src = NarFixtures.create(Files.createDirectory(tmp.resolve("src")));
        for (String name : new String[] {"hello.txt", "empty.txt", "eight", "run.sh", "link", "emptydir", "tree", "sortdir"}) {
            byte[] nar = dump(src.resolve(name));
            Path out = tmp.resolve("out-" + name);
            NarSummary s = NarReader.restore(new ByteArrayInputStream(nar), out, NarReader.Options.plain(nar.length));
            assertEquals(nar.length, s.narSize());
            assertEquals(NarWriter.summarize(src.resolve(name)), s);
            assertArrayEquals(nar, dump(out), name);
        }
    }

    @Test
    void readsExactlyOneNarAndNoMore() throws IOException {
        byte[] nar = Base64.getDecoder().decode(NarWriterTest.TREE_NAR_B64);
        byte[] withTrailer = Arrays.copyOf(nar, nar.length + 3);
        ByteArrayInputStream in = new ByteArrayInputStream(withTrailer);
        NarReader.restore(in, tmp.resolve("t"), NarReader.Options.plain(1 << 20));
        assertEquals(3, in.available());
    }

    @Test
    void canonicalizesForTheStore() throws IOException {
        Path src = NarFixtures.create(Files.createDirectory(tmp.resolve("src")));
        Path out = tmp.resolve("t");
        NarReader.restore(new ByteArrayInputStream(dump(src.resolve("tree"))), out,
                new NarReader.Options(StoreDir.DEFAULT, 1 << 20, true, true));
        assertEquals("r-xr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("a"))));
        assertEquals("r-xr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("sub/x"))));
        assertEquals(1000, Files.getLastModifiedTime(out.resolve("a")).toMillis());
        assertEquals(1000, Files.getLastModifiedTime(out.resolve("sub")).toMillis());
    }

    private void assertRejected(byte[] nar, NarReader.Options options) {
        assertRejected(nar, options, ErrorCode.MALFORMED_NAR);
    }

    private void assertRejected(byte[] nar, NarReader.Options options, ErrorCode code) {
        Path target = tmp.resolve("victim");
        StoreException e = assertThrows(StoreException.class,
                () -> NarReader.restore(new ByteArrayInputStream(nar), target, options));
        assertEquals(code, e.code(), e.getMessage());
        assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS), "nothing may be left: " + e.getMessage());
    }

    private static NarBuilder dir() {
        return nar().s("(", "type", "directory");
    }

    @Test
    void rejectsBadEntryNames() {
        for (String bad : new String[] {"", ".", "..", "a/b", "a\0b"}) {
            assertRejected(dir().file("ok", "1").file(bad, "x").s(")").build(), STORE);
        }
    }

    @Test
    void rejectsUnsortedAndDuplicateEntries() {
        assertRejected(dir().file("b", "1").file("a", "2").s(")").build(), STORE);
        assertRejected(dir().file("a", "1").file("a", "2").s(")").build(), STORE);
        // byte order, not string order: "é" (c3 a9) sorts after "z"
        assertRejected(dir().file("é", "1").file("z", "2").s(")").build(), STORE);
    }

    @Test
    void rejectsStructuralDefects() {
        assertRejected(nar().s("(", "type", "regular", "contents", "x", "mode", "y", ")").build(), STORE);
        assertRejected(nar().s("(", "type", "fifo", ")").build(), STORE);
        assertRejected(nar().s("(", "type", "regular", "contents", "x", "executable", "", ")").build(), STORE);
        assertRejected(nar().s("(", "type", "regular", "executable", "1", "contents", "x", ")").build(), STORE);
        assertRejected(nar().s("(", "type", "regular", ")").build(), STORE);
        assertRejected(new NarBuilder().s("nix-archive-2", "(", "type", "regular", "contents", "x", ")").build(), STORE);
        assertRejected(dir().s("entry", "(", "name", "a", "nodes").build(), STORE);
    }

    @Test
    void rejectsNonZeroPadding() {
        byte[] nar = nar().s("(", "type", "regular", "contents", "x", ")").build();
        // the padding after the 1-byte contents "x"
        int contentsAt = indexOf(nar, new byte[] {'x', 0, 0, 0, 0, 0, 0, 0});
        nar[contentsAt + 3] = 1;
        assertRejected(nar, STORE);
    }

    @Test
    void rejectsAbsurdLengthsWithoutAllocating() {
        assertRejected(nar().s("(", "type", "regular", "contents").len(-1L).build(), STORE);
        assertRejected(nar().s("(", "type", "regular", "contents").len(1L << 40).build(), STORE, ErrorCode.SIZE_MISMATCH);
        assertRejected(dir().s("entry", "(", "name").len(1L << 31).build(), STORE);
        assertRejected(nar().s("(").len(1L << 62).build(), STORE);
        byte[] small = nar().s("(", "type", "regular", "contents", "0123456789", ")").build();
        assertRejected(small, NarReader.Options.plain(small.length - 8), ErrorCode.SIZE_MISMATCH);
    }

    @Test
    void rejectsEscapingSymlinks() {
        assertRejected(nar().s("(", "type", "symlink", "target", "/etc/passwd", ")").build(), STORE);
        assertRejected(nar().s("(", "type", "symlink", "target", "/flotilla/store/../../etc", ")").build(), STORE);
        assertRejected(nar().s("(", "type", "symlink", "target", "/flotilla/store", ")").build(), STORE);
        assertRejected(dir().s("entry", "(", "name", "l", "node", "(", "type", "symlink", "target", "../x", ")", ")", ")").build(), STORE);
        assertRejected(dir().s("entry", "(", "name", "l", "node", "(", "type", "symlink", "target", "a/../../x", ")", ")", ")").build(), STORE);
        assertRejected(dir().s("entry", "(", "name", "l", "node", "(", "type", "symlink", "target", "", ")", ")", ")").build(), STORE);
    }

    @Test
    void acceptsInsideSymlinks() throws IOException {
        byte[] nar = dir()
                .s("entry", "(", "name", "abs", "node", "(", "type", "symlink", "target", "/flotilla/store/vxjiwkjkn7x4079qvh1jkl5pn05j2aw0-foo/bin", ")", ")")
                .s("entry", "(", "name", "sub", "node", "(", "type", "directory")
                .s("entry", "(", "name", "up", "node", "(", "type", "symlink", "target", "../abs", ")", ")", ")", ")")
                .s(")").build();
        NarReader.restore(new ByteArrayInputStream(nar), tmp.resolve("ok"), STORE);
        assertTrue(Files.isSymbolicLink(tmp.resolve("ok/sub/up")));
    }

    @Test
    void rejectsTooDeepTrees() {
        NarBuilder b = nar();
        for (int i = 0; i < 300; i++) {
            b.s("(", "type", "directory", "entry", "(", "name", "d", "node");
        }
        assertRejected(b.build(), STORE);
    }

    @Test
    void truncatedStreamIsEofAndLeavesNothing() {
        byte[] nar = Base64.getDecoder().decode(NarWriterTest.TREE_NAR_B64);
        Path target = tmp.resolve("cut");
        for (int cut : new int[] {0, 5, 100, 700, nar.length - 1}) {
            assertThrows(EOFException.class, () -> NarReader.restore(
                    new ByteArrayInputStream(Arrays.copyOf(nar, cut)), target, STORE));
            assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
