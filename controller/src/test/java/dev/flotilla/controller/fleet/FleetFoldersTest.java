package dev.flotilla.controller.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.controller.fleet.service.FleetFolders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetFoldersTest {

    @TempDir
    Path tmp;

    private Path folder() throws IOException {
        Path f = Files.createDirectories(tmp.resolve("fleet/modules"));
        Files.writeString(f.resolve("common.nix"), "{ }\n");
        Files.writeString(f.getParent().resolve("fleet.nix"), "{ ... }: { defaults = ./modules/common.nix; }\n");
        Files.createDirectories(f.getParent().resolve(".git")).resolve("HEAD").toFile().createNewFile();
        return f.getParent();
    }

    @Test
    void theSameContentPinsToTheSameHashAndBytesAndLaterEditsChangeNothingPinned() throws IOException {
        Path f = folder();
        FleetFolders folders = new FleetFolders(tmp.resolve("work"), 1 << 20);
        FleetFolders.Pinned a = folders.pin(f);
        FleetFolders.Pinned b = folders.pin(f);
        assertEquals(a.hash(), b.hash());
        assertArrayEquals(a.archive(), b.archive(), "packing is deterministic");
        Path pinned = folders.contentDir(a.hash());
        assertFalse(Files.exists(pinned.resolve(".git")));

        Files.writeString(f.resolve("modules/common.nix"), "{ edited = true; }\n");
        assertNotEquals(a.hash(), folders.pin(f).hash());
        assertEquals("{ }\n", Files.readString(pinned.resolve("modules/common.nix")));
        try (Stream<Path> s = Files.list(tmp.resolve("work/tmp"))) {
            assertEquals(0, s.count(), "no temporary folder is left behind");
        }
    }

    @Test
    void anotherReplicaUnpacksTheStoredArchiveAndChecksItsHash() throws IOException {
        FleetFolders.Pinned a = new FleetFolders(tmp.resolve("one"), 1 << 20).pin(folder());
        FleetFolders other = new FleetFolders(tmp.resolve("two"), 1 << 20);
        Path dir = other.unpacked(a.hash(), a.archive());
        assertEquals("{ }\n", Files.readString(dir.resolve("modules/common.nix")));

        Files.writeString(tmp.resolve("fleet/fleet.nix"), "{ }\n");
        FleetFolders.Pinned b = new FleetFolders(tmp.resolve("three"), 1 << 20).pin(tmp.resolve("fleet"));
        IOException e = assertThrows(IOException.class, () -> new FleetFolders(tmp.resolve("four"), 1 << 20).unpacked(a.hash(), b.archive()));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        assertFalse(Files.exists(new FleetFolders(tmp.resolve("four"), 1 << 20).contentDir(a.hash())));
    }

    @Test
    void limitsHoldForFoldersAndForArchivesThatExpand() throws IOException {
        Path f = folder();
        Files.write(f.resolve("big"), new byte[4096]);
        FleetFolders small = new FleetFolders(tmp.resolve("work"), 2048);
        assertThrows(FleetFolders.RefusedException.class, () -> small.pin(f));

        // 4 KiB of zeros packs into far less than 2 KiB: the limit must hold after gunzip too.
        byte[] archive = new FleetFolders(tmp.resolve("big"), 1 << 20).pin(f).archive();
        assertTrue(archive.length < 2048, "archive of " + archive.length);
        FleetFolders.RefusedException e = assertThrows(FleetFolders.RefusedException.class,
                () -> small.pinUpload(new ByteArrayInputStream(archive)));
        assertTrue(e.getMessage().contains("2048"), e.getMessage());
    }
}
