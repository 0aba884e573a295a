package dev.flotilla.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    ByteArrayInputStream nar(PathInfo p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        source.writeNar(p.path(), out);
        return new ByteArrayInputStream(out.toByteArray());
    }

    @Test
    void pathsBecomeValidTogetherAtCommitAndMayReferenceEachOther() throws IOException {
        List<PathInfo> registered = new ArrayList<>();
        try (ImportBatch batch = host.importBatch(trusted, registered::add)) {
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
        try (ImportBatch batch = host.importBatch(trusted, p -> { })) {
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
}
