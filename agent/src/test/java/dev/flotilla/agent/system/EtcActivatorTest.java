package dev.flotilla.agent.system;

import dev.flotilla.agent.testing.TestSystems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EtcActivatorTest {
    @TempDir
    Path root;

    private final Clock clock = Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);

    private EtcChanges activate(String toplevel) {
        Path top = root.resolve(toplevel.substring(1));
        return new EtcActivator(root, clock).activate(toplevel, ManifestParser.read(top));
    }

    @Test
    void linksEntriesThroughRelativeStatic() throws Exception {
        String v1 = TestSystems.system("web-1").etc("motd", "hello\n").etc("app/app.conf", "port=1\n").writeInto(root);
        EtcChanges changes = activate(v1);

        Path etc = root.resolve("etc");
        assertEquals(".." + v1 + "/etc", Files.readSymbolicLink(etc.resolve("static")).toString());
        assertEquals("static/motd", Files.readSymbolicLink(etc.resolve("motd")).toString());
        assertEquals("../static/app/app.conf", Files.readSymbolicLink(etc.resolve("app/app.conf")).toString());
        assertEquals("hello\n", Files.readString(etc.resolve("motd")));
        assertEquals("port=1\n", Files.readString(etc.resolve("app/app.conf")));
        assertEquals(List.of("app/app.conf", "motd"), changes.added());
    }

    @Test
    void removesDroppedEntriesAndReportsChangedOnes() throws Exception {
        String v1 = TestSystems.system("web-1").etc("motd", "hello\n").etc("app/app.conf", "port=1\n").writeInto(root);
        String v2 = TestSystems.system("web-1").etc("motd", "bye\n").etc("hosts", "127.0.0.1 x\n").writeInto(root);
        activate(v1);
        EtcChanges changes = activate(v2);

        Path etc = root.resolve("etc");
        assertEquals("bye\n", Files.readString(etc.resolve("motd")));
        assertFalse(Files.exists(etc.resolve("app/app.conf"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(etc.resolve("app")), "empty directories the agent made are pruned");
        assertEquals(List.of("hosts"), changes.added());
        assertEquals(List.of("motd"), changes.changed());
        assertEquals(List.of("app/app.conf"), changes.removed());
        assertTrue(changes.backups().isEmpty());
        assertTrue(activate(v2).isEmpty(), "activating the same system again changes nothing");
    }

    @Test
    void keepsHandEditedAndPreexistingFilesAside() throws Exception {
        Path etc = root.resolve("etc");
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("motd"), "pre-existing\n");
        String v1 = TestSystems.system("web-1").etc("motd", "hello\n").etc("app.conf", "a\n").writeInto(root);
        String v2 = TestSystems.system("web-1").etc("motd", "hello\n").writeInto(root);

        EtcChanges first = activate(v1);
        String backup = "motd.flotilla-backup-20250304T050607Z";
        assertEquals(List.of(new EtcChanges.Backup("motd", backup)), first.backups());
        assertEquals("pre-existing\n", Files.readString(etc.resolve(backup)));
        assertEquals("hello\n", Files.readString(etc.resolve("motd")));

        // a hand edit replaces the managed link by a file, then the entry is dropped by v2
        Files.delete(etc.resolve("app.conf"));
        Files.writeString(etc.resolve("app.conf"), "edited by hand\n");
        EtcChanges second = activate(v2);
        assertEquals(List.of("app.conf"), second.removed());
        assertEquals(List.of(new EtcChanges.Backup("app.conf", "app.conf.flotilla-backup-20250304T050607Z")), second.backups());
        assertEquals("edited by hand\n", Files.readString(etc.resolve("app.conf.flotilla-backup-20250304T050607Z")));
        assertFalse(Files.exists(etc.resolve("app.conf"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        String v1 = TestSystems.system("web-1").etc("motd", "hello\n").writeInto(root);
        EtcChanges plan = new EtcActivator(root, clock).plan(v1, ManifestParser.read(root.resolve(v1.substring(1))));
        assertEquals(List.of("motd"), plan.added());
        assertFalse(Files.exists(root.resolve("etc")));
    }
}
