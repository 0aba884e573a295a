package dev.flotilla.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GarbageCollectorTest {
    @TempDir
    Path tmp;
    LocalStore store;
    Path root;
    PathInfo lib;
    PathInfo app;
    PathInfo top;
    PathInfo orphan;
    PathInfo orphanUser;

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("host");
        store = new LocalStore(root, StoreDir.DEFAULT);
        lib = store.addText("lib", "library", Set.of(), null);
        app = store.addText("app", "uses " + lib.path(), Set.of(lib.path()), null);
        Path tree = Files.createDirectories(tmp.resolve("src/system/etc"));
        Files.writeString(tree.resolve("motd"), "hello " + app.path() + "\n");
        top = store.addTree(tmp.resolve("src/system"), "system", Set.of(app.path()), null);
        orphan = store.addText("old-lib", "old library", Set.of(), null);
        orphanUser = store.addText("old-app", "uses " + orphan.path(), Set.of(orphan.path()), null);
    }

    /** The agent's layout: {@code system -> system-1-link -> <top>}, plus an automatic root to the generation link. */
    void profile(PathInfo generation) throws IOException {
        Path profiles = Files.createDirectories(root.resolve("flotilla/var/profiles"));
        Files.createSymbolicLink(profiles.resolve("system-1-link"), Path.of(generation.path().absolute()));
        Files.createSymbolicLink(profiles.resolve("system"), Path.of("system-1-link"));
    }

    Path gcroot(String name, String target) throws IOException {
        Path link = root.resolve("flotilla/var/gcroots").resolve(name);
        Files.createDirectories(link.getParent());
        return Files.createSymbolicLink(link, Path.of(target));
    }

    @Test
    void dryRunListsOnlyUnreachablePathsReferrersFirstAndDeletesNothing() throws IOException {
        profile(top);
        GarbageCollector.Result r = new GarbageCollector(store).collect(List.of(), true);
        assertTrue(r.dryRun());
        assertEquals(Set.of(top.path()), r.roots());
        assertEquals(3, r.live());
        assertEquals(List.of(orphanUser.path(), orphan.path()), r.dead());
        assertEquals(orphan.narSize() + orphanUser.narSize(), r.narBytes());
        assertEquals(5, store.validPaths().size());
    }

    @Test
    void collectDeletesWhatNoRootReachesAndKeepsTheStoreConsistent() throws IOException {
        profile(top);
        GarbageCollector.Result r = new GarbageCollector(store).collect(List.of(), false);
        assertEquals(List.of(orphanUser.path(), orphan.path()), r.dead());
        assertEquals(Set.of(lib.path(), app.path(), top.path()), store.validPaths());
        assertFalse(Files.exists(store.physical(orphan.path())));
        assertFalse(Files.exists(store.physical(orphanUser.path())));
        assertEquals(List.of(), store.verify());
        assertEquals(Set.of(lib.path().baseName(), app.path().baseName(), top.path().baseName()), LocalStoreTest.entries(store));
        // collected paths can come back
        assertEquals(orphan.path(), store.addText("old-lib", "old library", Set.of(), null).path());
        assertTrue(store.isValid(orphan.path()));
    }

    @Test
    void withoutRootsEverythingGoes() throws IOException {
        GarbageCollector.Result r = new GarbageCollector(store).collect(List.of(), false);
        assertEquals(5, r.dead().size());
        assertEquals(Set.of(), store.validPaths());
        assertEquals(Set.of(), LocalStoreTest.entries(store));
        assertTrue(r.dead().indexOf(top.path()) < r.dead().indexOf(app.path()));
        assertTrue(r.dead().indexOf(app.path()) < r.dead().indexOf(lib.path()));
    }

    @Test
    void gcrootsMayPointAtLinksOrIntoAPathAndPinsKeepPaths() throws IOException {
        profile(top);
        gcroot("auto/abc", "/flotilla/var/profiles/system-1-link");
        gcroot("tools", orphan.path().absolute() + "/nonexistent-inside"); // a file inside a path roots the path
        GarbageCollector.Result r = new GarbageCollector(store).collect(List.of(orphanUser.path()), false);
        assertEquals(Set.of(top.path(), orphan.path(), orphanUser.path()), r.roots());
        assertEquals(List.of(), r.dead());
        assertEquals(5, store.validPaths().size());
    }

    @Test
    void pinningAnInvalidPathIsRefused() throws IOException {
        StorePath bogus = StorePath.fromBaseName(StoreDir.DEFAULT, "00000000000000000000000000000000-nothing");
        StoreException e = assertThrows(StoreException.class,
                () -> new GarbageCollector(store).collect(List.of(bogus), true));
        assertEquals(ErrorCode.NOT_VALID, e.code());
    }

    @Test
    void danglingAutomaticRootsAreRemovedOthersOnlyReported() throws IOException {
        profile(top);
        Path auto = gcroot("auto/gone", "/flotilla/var/profiles/system-7-link");
        Path mine = gcroot("mine", "/flotilla/var/profiles/system-9-link");
        Path outside = gcroot("db", "/flotilla/var/db"); // outside the store: not a root, not dangling
        GarbageCollector.Result dry = new GarbageCollector(store).collect(List.of(), true);
        assertEquals(Set.of(auto, mine), Set.copyOf(dry.danglingRoots()));
        assertTrue(Files.isSymbolicLink(auto));
        new GarbageCollector(store).collect(List.of(), false);
        assertFalse(Files.isSymbolicLink(auto));
        assertTrue(Files.isSymbolicLink(mine));
        assertTrue(Files.isSymbolicLink(outside));
    }

    @Test
    void crashLeftoversAreCollected() throws IOException {
        profile(top);
        // a crash between invalidating a path and deleting its tree: content without metadata
        Path partial = Files.createDirectories(root.resolve("flotilla/store/" + "1".repeat(32) + "-half-deleted/bin"));
        Files.writeString(partial.resolve("x"), "partial");
        // and metadata whose content is gone
        Files.writeString(root.resolve("flotilla/var/db/info/" + "2".repeat(32) + "-no-content.narinfo"),
                "StorePath: /flotilla/store/" + "2".repeat(32) + "-no-content\n");
        GarbageCollector gc = new GarbageCollector(store);
        GarbageCollector.Result dry = gc.collect(List.of(), true);
        assertEquals(List.of("1".repeat(32) + "-half-deleted", "2".repeat(32) + "-no-content"), dry.leftovers());
        assertTrue(Files.exists(partial));
        gc.collect(List.of(), false);
        assertFalse(Files.exists(partial.getParent()));
        assertFalse(Files.exists(root.resolve("flotilla/var/db/info/" + "2".repeat(32) + "-no-content.narinfo")));
        assertEquals(Set.of(lib.path().baseName(), app.path().baseName(), top.path().baseName()), LocalStoreTest.entries(store));
    }

    @Test
    void anImportNeedingACollectedReferenceIsRefused() throws IOException {
        LocalStore other = new LocalStore(tmp.resolve("other"), StoreDir.DEFAULT);
        PathInfo olib = other.addText("old-lib", "old library", Set.of(), null);
        PathInfo user = other.addText("new-user", "uses " + olib.path(), Set.of(olib.path()), null);
        new GarbageCollector(store).collect(List.of(), false); // no roots: old-lib goes
        var nar = new java.io.ByteArrayOutputStream();
        other.writeNar(user.path(), nar);
        StoreException e = assertThrows(StoreException.class,
                () -> store.importNar(user, new java.io.ByteArrayInputStream(nar.toByteArray()), null));
        assertEquals(ErrorCode.MISSING_REFERENCE, e.code());
        assertEquals(List.of(), store.verify());
    }
}
