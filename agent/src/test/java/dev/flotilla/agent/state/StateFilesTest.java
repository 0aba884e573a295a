package dev.flotilla.agent.state;

import dev.flotilla.agent.JournalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state files under {@code R/flotilla/var}: written byte for byte as the agents already deployed
 * (Jackson-based) wrote them, since an upgraded agent reads what the previous one left, and back.
 */
class StateFilesTest {
    static final Instant T = Instant.parse("2026-11-22T08:00:00.123456Z");

    @TempDir
    Path dir;

    @Test
    void generationMeta() throws IOException {
        GenerationMeta meta = new GenerationMeta(dir);
        meta.record(3, "/flotilla/store/c", Optional.of("dep-é"));
        meta.record(4, "/flotilla/store/d", Optional.empty());
        assertEquals("{\"generation\":3,\"toplevel\":\"/flotilla/store/c\",\"deploymentId\":\"dep-é\"}", Files.readString(dir.resolve("3.json")));
        assertEquals("{\"generation\":4,\"toplevel\":\"/flotilla/store/d\"}", Files.readString(dir.resolve("4.json")));
        assertEquals(Optional.of("dep-é"), meta.deploymentId(3, "/flotilla/store/c"));
        assertEquals(Optional.empty(), meta.deploymentId(3, "/flotilla/store/other"), "recorded for another toplevel");
        assertEquals(Optional.empty(), meta.deploymentId(4, "/flotilla/store/d"));
        Files.writeString(dir.resolve("5.json"), "{\"generation\":5,");
        assertEquals(Optional.empty(), meta.deploymentId(5, "/flotilla/store/e"), "a torn file is no deployment");
    }

    @Test
    void pendingSwitch() throws IOException {
        PendingSwitch p = new PendingSwitch("tok", "switch", 1, 2, "/flotilla/store/b", Optional.of("/flotilla/store/a"), true, T,
                Optional.of("dep-1"), "conn-1", 4242, T);
        Path file = dir.resolve("pending.json");
        p.write(file);
        assertEquals("""
                {"token":"tok","mode":"switch","fromGeneration":1,"toGeneration":2,"toplevel":"/flotilla/store/b",\
                "setsDefault":true,"deadline":"2026-11-22T08:00:00.123456Z","connection":"conn-1","ownerPid":4242,\
                "ownerStart":"2026-11-22T08:00:00.123456Z","previousActive":"/flotilla/store/a","deploymentId":"dep-1"}""",
                Files.readString(file));
        assertEquals(Optional.of(p), PendingSwitch.read(file));
        assertEquals(Optional.empty(), PendingSwitch.read(dir.resolve("none.json")));
        Files.writeString(file, "{\"token\":\"tok\"}");
        assertTrue(assertThrows(RuntimeException.class, () -> PendingSwitch.read(file)).getMessage().contains("'mode' is missing"));
    }

    @Test
    void journal() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        Journal journal = new Journal(file);
        JournalEntry e = new JournalEntry(T, "switch", 1, 2, "/flotilla/store/b", Optional.of("tok"), Optional.of("dep-1"), "why \ud83d\ude00");
        journal.append(e);
        assertEquals("""
                {"time":"2026-11-22T08:00:00.123456Z","event":"switch","from":1,"to":2,"toplevel":"/flotilla/store/b",\
                "reason":"why \ud83d\ude00","token":"tok","deploymentId":"dep-1"}
                """, Files.readString(file));
        Files.writeString(file, "{\"time\":\"2026-11-22T08", java.nio.file.StandardOpenOption.APPEND);   // torn by a crash
        JournalEntry second = new JournalEntry(T, "confirm", 1, 2, "/flotilla/store/b", Optional.empty(), Optional.empty(), "");
        Files.writeString(file, "\n", java.nio.file.StandardOpenOption.APPEND);
        journal.append(second);
        assertEquals(List.of(e, second), journal.all(), "the torn line is skipped");
        assertEquals(Optional.of(e), journal.lastFor("tok", "switch"));
    }
}
