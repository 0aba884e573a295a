package dev.flotilla.agent.state;

import dev.flotilla.agent.JournalEntry;
import dev.flotilla.json.Json;
import dev.flotilla.json.JsonObject;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent's journal, {@code R/flotilla/var/journal.jsonl}: one JSON object per line, appended and
 * fsynced; trimmed to the last {@value #KEEP} entries when it grows past twice that. Never holds
 * secrets (nothing secret is ever passed to it).
 */
public final class Journal {
    static final int KEEP = 500;

    private final Path file;

    public Journal(Path file) {
        this.file = file;
    }

    public void append(JournalEntry e) {
        JsonObject.Builder o = JsonObject.builder().put("time", e.time().toString()).put("event", e.event())
                .put("from", e.fromGeneration()).put("to", e.toGeneration()).put("toplevel", e.toplevel())
                .put("reason", e.reason());
        e.token().ifPresent(t -> o.put("token", t));
        e.deploymentId().ifPresent(d -> o.put("deploymentId", d));
        try {
            Files.createDirectories(file.getParent());
            byte[] line = (Json.text(o.build()) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                ch.write(java.nio.ByteBuffer.wrap(line));
                ch.force(false);
            }
            if (Files.size(file) > 400L * 2 * KEEP) {
                trim();
            }
        } catch (IOException ex) {
            org.slf4j.LoggerFactory.getLogger(Journal.class).warn("cannot write the journal {}: {}", file, ex.getMessage());
        }
    }

    private void trim() throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.size() > 2 * KEEP) {
            AtomicFiles.write(file, (String.join("\n", lines.subList(lines.size() - KEEP, lines.size())) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The last {@code n} entries, oldest first (a torn last line from a crash is skipped). */
    public List<JournalEntry> tail(int n) {
        List<JournalEntry> all = all();
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    public List<JournalEntry> all() {
        List<JournalEntry> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                parse(line).ifPresent(out::add);
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** The latest entry for {@code token} with one of {@code events}, if any. */
    public Optional<JournalEntry> lastFor(String token, String... events) {
        List<String> wanted = List.of(events);
        return all().reversed().stream()
                .filter(e -> e.token().equals(Optional.of(token)) && wanted.contains(e.event()))
                .findFirst();
    }

    private static Optional<JournalEntry> parse(String line) {
        if (line.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonObject o = Json.parseObject(line);
            return Optional.of(new JournalEntry(Instant.parse(o.string("time")), o.string("event"),
                    o.intValue("from"), o.intValue("to"), o.string("toplevel", ""),
                    o.optString("token"), o.optString("deploymentId"), o.string("reason", "")));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
