package dev.flotilla.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImportBatchTest {
    @TempDir
    Path tmp;
    SigningKey key = SigningKey.generate("controller-1");
    TrustedKeys trusted = TrustedKeys.of(key.publicKey());
    LocalStore source;
    LocalStore host;
    PathInfo lib;
    PathInfo app;

    @BeforeEach
    void setUp() throws IOException {
        source = new LocalStore(tmp.resolve("source"), StoreDir.DEFAULT);
        host = new LocalStore(tmp.resolve("host"), StoreDir.DEFAULT);
        lib = source.addText("lib", "library", Set.of(), key);
        Path tree = Files.createDirectories(tmp.resolve("src/app/bin"));
        Files.writeString(tree.resolve("run"), "exec " + lib.path());
        app = source.addTree(tmp.resolve("src/app"), "app", Set.of(lib.path()), key);
    }

    /** Commits only when asked: what the tests of explicit commits need, whatever the machine's speed. */
    static final ImportBatch.Budget ONLY_WHEN_ASKED = new ImportBatch.Budget(Integer.MAX_VALUE, Long.MAX_VALUE,
            Duration.ofDays(1));

    ByteArrayInputStream nar(PathInfo p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        source.writeNar(p.path(), out);
        return new ByteArrayInputStream(out.toByteArray());
    }

    @Test
    void pathsBecomeValidTogetherAtCommitAndMayReferenceEachOther() throws IOException {
        List<PathInfo> registered = new ArrayList<>();
        try (ImportBatch batch = host.importBatch(trusted, ONLY_WHEN_ASKED, registered::add)) {
            batch.add(lib, nar(lib));
            batch.add(app, nar(app)); // its reference is only pending
            batch.add(lib, nar(lib)); // twice: read and skipped
            assertFalse(host.isValid(lib.path()));
            assertEquals(Set.of(), LocalStoreTest.entries(host).stream().filter(n -> !n.startsWith(".")).collect(
                    java.util.stream.Collectors.toSet()));
            batch.commit();
            assertEquals(2, batch.registered());
        }
        assertEquals(List.of(lib.path(), app.path()), registered.stream().map(PathInfo::path).toList());
        assertTrue(host.isValid(app.path()));
        assertEquals(List.of(), host.verify());
        assertEquals(Set.of(lib.path().baseName(), app.path().baseName()), LocalStoreTest.entries(host));
        assertEquals(app.signatures(), host.requireInfo(app.path()).signatures());
    }

    @Test
    void anUncommittedBatchLeavesNothing() throws IOException {
        try (ImportBatch batch = host.importBatch(trusted, ONLY_WHEN_ASKED, p -> { })) {
            batch.add(lib, nar(lib));
        }
        assertFalse(host.isValid(lib.path()));
        assertEquals(Set.of(), LocalStoreTest.entries(host));
    }

    @Test
    void refusalsAreThoseOfImportNar() throws IOException {
        PathInfo unsigned = source.addText("unsigned", "u", Set.of(), null);
        try (ImportBatch batch = host.importBatch(trusted, p -> { })) {
            assertEquals(ErrorCode.BAD_SIGNATURE, assertThrows(StoreException.class,
                    () -> batch.add(unsigned, nar(unsigned))).code());
            assertEquals(ErrorCode.MISSING_REFERENCE, assertThrows(StoreException.class,
                    () -> batch.add(app, nar(app))).code());
            PathInfo lying = new PathInfo(lib.path(), app.narHash(), lib.narSize(), Set.of(), null, Set.of(), null)
                    .signedBy(key);
            StoreException e = assertThrows(StoreException.class, () -> batch.add(lying, nar(lib)));
            assertEquals(ErrorCode.HASH_MISMATCH, e.code());
            assertEquals(lib.path().absolute(), e.path());
            batch.commit();
            assertEquals(0, batch.registered());
        }
        assertEquals(Set.of(), LocalStoreTest.entries(host));
    }

    @Test
    void finishedPathsAreCommittedInTheBackgroundOnceTheirAgeIsDue() throws Exception {
        List<PathInfo> registered = new ArrayList<>();
        ImportBatch.Budget quarterSecond = new ImportBatch.Budget(Integer.MAX_VALUE, Long.MAX_VALUE, Duration.ofMillis(250));
        try (ImportBatch batch = host.importBatch(trusted, quarterSecond, registered::add)) {
            batch.add(lib, nar(lib));
            batch.add(app, nar(app));
            await(() -> batch.registered() == 2, "both paths committed");
            assertTrue(host.isValid(lib.path()));
            assertTrue(host.isValid(app.path()));
            assertEquals(List.of(), registered, "announced on the session's thread, at its next call");
            batch.add(lib, nar(lib)); // already valid now: skipped, and the registrations are announced
            assertEquals(List.of(lib.path(), app.path()), registered.stream().map(PathInfo::path).toList());
        }
        assertEquals(List.of(), host.verify());
        assertEquals(Set.of(lib.path().baseName(), app.path().baseName()), LocalStoreTest.entries(host));
    }

    @Test
    void aCountBudgetCommitsWithoutWaitingForTheEnd() throws Exception {
        ImportBatch.Budget onePath = new ImportBatch.Budget(1, Long.MAX_VALUE, Duration.ofDays(1));
        try (ImportBatch batch = host.importBatch(trusted, onePath, p -> { })) {
            batch.add(lib, nar(lib));
            awaitValid(lib.path());
            batch.add(app, nar(app)); // references a path of this batch that is already committed
            batch.commit();
            assertEquals(2, batch.registered());
        }
        assertEquals(List.of(), host.verify());
    }

    @Test
    void closingKeepsWhatWasCommittedAndDeletesTheRest() throws Exception {
        ImportBatch.Budget onePath = new ImportBatch.Budget(1, Long.MAX_VALUE, Duration.ofDays(1));
        try (ImportBatch batch = host.importBatch(trusted, onePath, p -> { })) {
            batch.add(lib, nar(lib));
            awaitValid(lib.path());
        }
        try (ImportBatch batch = host.importBatch(trusted, ONLY_WHEN_ASKED, p -> { })) {
            batch.add(app, nar(app));
        }
        assertTrue(host.isValid(lib.path()));
        assertFalse(host.isValid(app.path()));
        assertEquals(Set.of(lib.path().baseName()), LocalStoreTest.entries(host));
    }

    @Test
    void budgetsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ImportBatch.Budget(0, 1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new ImportBatch.Budget(1, 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new ImportBatch.Budget(1, 1, Duration.ZERO));
    }

    private void awaitValid(StorePath path) throws InterruptedException {
        await(() -> host.isValid(path), path + " committed");
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 20 s: " + what);
            Thread.sleep(10);
        }
    }
}
