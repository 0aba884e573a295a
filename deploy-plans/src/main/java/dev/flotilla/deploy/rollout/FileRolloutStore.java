package dev.flotilla.deploy.rollout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One JSON file per rollout in a directory ({@code <workspace>/rollouts/<id>.json}). A save writes a
 * temporary file, fsyncs it, renames it over the old one and fsyncs the directory, so the file is
 * always a whole snapshot, the old or the new. A claim is an OS file lock on {@code <id>.lock}: the
 * kernel drops it when the process dies, however it dies.
 */
public final class FileRolloutStore implements RolloutStore {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path dir;

    public FileRolloutStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String id) {
        return dir.resolve(checkId(id) + ".json");
    }

    @Override
    public void save(RolloutRecord rollout) throws IOException {
        Files.createDirectories(dir);
        Path target = file(rollout.id());
        Path tmp = dir.resolve("." + rollout.id() + ".json.tmp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().threadId());
        byte[] bytes = RolloutJson.write(rollout).getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(tmp);
            throw new IOException(dir + ": cannot rename atomically, so rollouts cannot be stored here safely", e);
        }
        fsyncDirectory();
    }

    private void fsyncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for fsync; the rename is still atomic there.
        }
    }

    @Override
    public Optional<RolloutRecord> load(String id) throws IOException {
        Path f = file(id);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        return Optional.of(RolloutJson.read(f.toString(), Files.readString(f)));
    }

    @Override
    public List<RolloutRecord> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<RolloutRecord> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith(".")).toList()) {
                out.add(RolloutJson.read(f.toString(), Files.readString(f)));
            }
        }
        out.sort(Comparator.comparing(RolloutRecord::created).thenComparing(RolloutRecord::id).reversed());
        return out;
    }

    @Override
    public Claim claim(String id) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve(checkId(id) + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new RolloutBusyException(id);
        }
        FileLock held = lock;
        return () -> {
            try {
                held.release();
            } finally {
                ch.close();
            }
        };
    }

    private static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid rollout id '" + id + "'");
        }
        return id;
    }
}
