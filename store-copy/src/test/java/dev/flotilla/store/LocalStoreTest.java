package dev.flotilla.store;

import dev.flotilla.store.nar.NarFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalStoreTest {
    @TempDir
    Path tmp;
    Path fixtures;
    SigningKey key = SigningKey.generate("test-1");
    TrustedKeys trusted = TrustedKeys.of(key.publicKey());

    @BeforeEach
    void setUp() throws IOException {
        fixtures = NarFixtures.create(Files.createDirectory(tmp.resolve("fixtures")));
    }

    LocalStore store(String name, StoreDir dir) throws IOException {
        return new LocalStore(tmp.resolve(name), dir);
    }

    /** Names present in the physical store directory: valid paths and nothing else. */
    static Set<String> entries(LocalStore s) throws IOException {
        try (Stream<Path> l = Files.list(s.physicalRoot().resolve(s.storeDir().path().substring(1)))) {
            return l.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void addTreeGivesNixPathsAndReadOnlyContent() throws IOException {
        LocalStore s = store("a", StoreDir.NIX);
        PathInfo tree = s.addTree(fixtures.resolve("tree"), "tree", Set.of(), null);
        assertEquals("/nix/store/sgczb48iw0nq4a3jlzh1ywdnic1x7z2q-tree", tree.path().absolute());
        assertEquals(1448, tree.narSize());
        assertTrue(s.isValid(tree.path()));
        Path phys = s.physical(tree.path());
        assertEquals(tmp.resolve("a/nix/store/sgczb48iw0nq4a3jlzh1ywdnic1x7z2q-tree"), phys);
        assertEquals("r-xr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(phys)));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(phys.resolve("a"))));
        assertEquals("r-xr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(phys.resolve("sub/x"))));
        PathInfo hello = s.addTree(fixtures.resolve("hello.txt"), "hello.txt", Set.of(), null);
        assertEquals("/nix/store/i9pmrzmpshapij2kin22pff6fc2adavx-hello.txt", hello.path().absolute());
        assertEquals(tree, s.info(tree.path()).orElseThrow());
        assertEquals(List.of(), s.verify());
    }

    @Test
    void addTextAndReferences() throws IOException {
        LocalStore s = store("a", StoreDir.NIX);
        PathInfo foo = s.addText("foo", "bar", Set.of(), key);
        assertEquals("/nix/store/vxjiwkjkn7x4079qvh1jkl5pn05j2aw0-foo", foo.path().absolute());
        assertEquals("sha256:1xngcmsdkdvaycaqjfzvq4gr3gib56p2l8illglnsqzhpss47pxz", foo.narHash().toString());
        assertTrue(trusted.verify(foo));
        PathInfo hello = s.addText("hello.txt", "hello\n", Set.of(), key);
        String body = hello.path().absolute() + " " + foo.path().absolute();
        PathInfo two = s.addText("tworefs", body, Set.of(foo.path(), hello.path()), key);
        assertEquals("/nix/store/7k49dli0fzm1yyv6v2bl9yl31rspzg39-tworefs", two.path().absolute());
        assertEquals("sha256:1fni9w0z98ifbh5fx6d9jp518bm0qnfm09qylq0bc37g88zfm2jn", two.narHash().toString());
        assertEquals(Set.of(foo.path(), hello.path(), two.path()), s.closure(List.of(two.path())));
        assertEquals(List.of(hello.path(), foo.path(), two.path()), s.topoSort(List.of(two.path(), hello.path(), foo.path())));
        StorePath ghost = StorePaths.text(StoreDir.NIX, "ghost", "x", Set.of());
        StoreException e = assertThrows(StoreException.class, () -> s.addText("r", "x", Set.of(ghost), null));
        assertEquals(ErrorCode.MISSING_REFERENCE, e.code());
    }

    @Test
    void addingAgainReturnsTheSamePathAndAddsASignature() throws IOException {
        LocalStore s = store("a", StoreDir.DEFAULT);
        PathInfo first = s.addTree(fixtures.resolve("tree"), "tree", Set.of(), null);
        assertTrue(first.signatures().isEmpty());
        PathInfo again = s.addTree(fixtures.resolve("tree"), "tree", Set.of(), key);
        assertEquals(first.path(), again.path());
        assertTrue(trusted.verify(again));
        assertTrue(trusted.verify(s.requireInfo(first.path())));
    }

    private static byte[] nar(LocalStore s, StorePath p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.writeNar(p, out);
        return out.toByteArray();
    }

    @Test
    void importNarVerifiesBeforeRegistering() throws IOException {
        LocalStore a = store("a", StoreDir.DEFAULT);
        LocalStore b = store("b", StoreDir.DEFAULT);
        PathInfo tree = a.addTree(fixtures.resolve("tree"), "tree", Set.of(), key);
        byte[] nar = nar(a, tree.path());

        PathInfo unsigned = PathInfo.of(tree.path(), tree.narHash(), tree.narSize(), Set.of());
        assertEquals(ErrorCode.BAD_SIGNATURE, assertThrows(StoreException.class,
                () -> b.importNar(unsigned, new ByteArrayInputStream(nar), trusted)).code());
        PathInfo otherKey = unsigned.signedBy(SigningKey.generate("test-1"));
        assertEquals(ErrorCode.BAD_SIGNATURE, assertThrows(StoreException.class,
                () -> b.importNar(otherKey, new ByteArrayInputStream(nar), trusted)).code());

        byte[] corrupt = nar.clone();
        corrupt[corrupt.length - 100] ^= 1;
        StoreException e = assertThrows(StoreException.class, () -> b.importNar(tree, new ByteArrayInputStream(corrupt), trusted));
        assertTrue(Set.of(ErrorCode.HASH_MISMATCH, ErrorCode.MALFORMED_NAR).contains(e.code()), e.getMessage());
        assertThrows(EOFException.class, () -> b.importNar(tree, new ByteArrayInputStream(Arrays.copyOf(nar, 700)), trusted));
        assertFalse(b.isValid(tree.path()));
        assertEquals(Set.of(), entries(b));

        PathInfo imported = b.importNar(tree, new ByteArrayInputStream(nar), trusted);
        assertEquals(tree.path(), imported.path());
        assertEquals(Set.of(tree.path().baseName()), entries(b));
        assertEquals(List.of(), b.verify());
    }

    @Test
    void importRefusesForeignStoreDirAndMissingReferences() throws IOException {
        LocalStore nix = store("n", StoreDir.NIX);
        LocalStore b = store("b", StoreDir.DEFAULT);
        PathInfo foo = nix.addText("foo", "bar", Set.of(), key);
        assertEquals(ErrorCode.FOREIGN_STORE_DIR, assertThrows(StoreException.class,
                () -> b.importNar(foo, new ByteArrayInputStream(nar(nix, foo.path())), trusted)).code());
        LocalStore a = store("a", StoreDir.DEFAULT);
        PathInfo dep = a.addText("dep", "x", Set.of(), key);
        PathInfo top = a.addText("top", dep.path().absolute(), Set.of(dep.path()), key);
        assertEquals(ErrorCode.MISSING_REFERENCE, assertThrows(StoreException.class,
                () -> b.importNar(top, new ByteArrayInputStream(nar(a, top.path())), trusted)).code());
    }

    @Test
    void crashLeftoversAreNeverValidAndGetCleaned() throws IOException {
        LocalStore a = store("a", StoreDir.DEFAULT);
        PathInfo tree = a.addTree(fixtures.resolve("tree"), "tree", Set.of(), key);
        Path storePhys = tmp.resolve("b/flotilla/store");
        Files.createDirectories(storePhys);
        // a temporary from a dead process, and content renamed into place whose metadata was never written
        Path stale = Files.createDirectories(storePhys.resolve(".tmp-999999999-abc/sub"));
        Files.setPosixFilePermissions(stale, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.createDirectories(storePhys.resolve(tree.path().baseName()));
        Files.writeString(storePhys.resolve(tree.path().baseName()).resolve("junk"), "partial");
        LocalStore b = store("b", StoreDir.DEFAULT);
        assertFalse(Files.exists(storePhys.resolve(".tmp-999999999-abc")));
        assertFalse(b.isValid(tree.path()));
        assertEquals(Set.of(), b.validPaths());
        b.importNar(tree, new ByteArrayInputStream(nar(a, tree.path())), trusted);
        assertTrue(b.isValid(tree.path()));
        assertEquals(List.of(), b.verify());
    }

    @Test
    void verifyFindsTampering() throws IOException {
        LocalStore s = store("a", StoreDir.DEFAULT);
        PathInfo tree = s.addTree(fixtures.resolve("tree"), "tree", Set.of(), null);
        Path a = s.physical(tree.path()).resolve("a");
        Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(a, "tampered\n");
        List<String> problems = s.verify();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains(tree.path().absolute()), problems.get(0));
    }
}
