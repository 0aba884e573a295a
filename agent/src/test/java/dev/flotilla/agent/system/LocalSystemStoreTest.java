package dev.flotilla.agent.system;

import dev.flotilla.store.LocalStore;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StorePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalSystemStoreTest {
    @TempDir
    Path root;

    @Test
    void collectsWhatNoRootReachesWithStoreCopysCollector() throws Exception {
        LocalStore store = new LocalStore(root, StoreDir.DEFAULT);
        Path tree = Files.createDirectories(root.resolve("build"));
        Files.writeString(tree.resolve("motd"), "hello\n");
        StorePath garbage = store.addTree(tree, "garbage", Set.of(), SigningKey.generate("test-1")).path();
        LocalSystemStore systems = new LocalSystemStore(store);
        assertTrue(systems.isValid(garbage.absolute()));

        Optional<String> summary = systems.collectGarbage();

        assertTrue(summary.orElseThrow().startsWith("deleted 1 store path(s), "), summary.toString());
        assertFalse(systems.isValid(garbage.absolute()));
        assertEquals(Optional.of("deleted 0 store path(s), 0 bytes"), systems.collectGarbage());
    }
}
