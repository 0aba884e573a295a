package dev.flotilla.agent.system;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.agent.state.AtomicFiles;
import dev.flotilla.json.Json;
import dev.flotilla.json.JsonArray;
import dev.flotilla.json.JsonException;
import dev.flotilla.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a system's secrets where it declares them, with their owner and mode, atomically (a
 * temporary file made 0600 in the same directory, chown/chmod, fsync, rename). Contents come from
 * the switch request only; they are never logged and never enter the store.
 *
 * <p>What a switch replaces is kept (root-only, {@code R/flotilla/var/secrets-previous/}) until the
 * switch is final, so a rollback puts the previous secrets back ({@link #restore}); {@link #discard}
 * drops the copies once the switch is confirmed.
 */
public final class SecretWriter {
    private final Path root;
    private final Path backupDir;

    public SecretWriter(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.backupDir = this.root.resolve("flotilla/var/secrets-previous");
    }

    /**
     * Writes the secrets {@code declared} for which {@code contents} has a value, fixes owner and
     * mode of the others that exist, removes those only {@code previous} declared. Returns one
     * warning per declared secret that is neither delivered nor present.
     */
    public List<String> apply(Map<String, SecretSpec> declared, Map<String, SecretSpec> previous, Map<String, byte[]> contents) {
        for (String name : contents.keySet()) {
            if (!declared.containsKey(name)) {
                throw new AgentException(Kind.BAD_REQUEST, "secret '" + name + "' is not declared by the system");
            }
        }
        List<String> warnings = new ArrayList<>();
        try {
            for (SecretSpec old : previous.values()) {
                if (declared.values().stream().noneMatch(s -> s.path().equals(old.path()))) {
                    Path p = physical(old.path());
                    backup(p);
                    Files.deleteIfExists(p);
                }
            }
            for (SecretSpec spec : declared.values()) {
                Path p = physical(spec.path());
                byte[] content = contents.get(spec.name());
                if (content != null) {
                    backup(p);
                    write(p, content, spec);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    setOwnerAndMode(p, spec);
                } else {
                    warnings.add("secret '" + spec.name() + "' was not delivered and " + spec.path() + " is missing");
                }
            }
        } catch (IOException e) {
            throw new AgentException(Kind.ACTIVATION, "writing secrets failed: " + e.getMessage(), e);
        }
        return warnings;
    }

    /** Puts back what the pending switch replaced or created (the files before it); then drops the copies. */
    public void restore() {
        Path index = backupDir.resolve("index.json");
        if (!Files.isRegularFile(index)) {
            return;
        }
        try {
            for (Backup b : readIndex(index)) {
                Path target = Path.of(b.path());
                if (b.existed()) {
                    Optional<Path> copy = b.copy().map(backupDir::resolve);
                    if (copy.isPresent() && Files.isRegularFile(copy.get())) {
                        Files.move(copy.get(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    }
                } else {
                    Files.deleteIfExists(target);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new AgentException(Kind.ACTIVATION, "restoring the previous secrets failed: " + e.getMessage(), e);
        }
        discard();
    }

    /** Forgets the copies: the switch is final. */
    public void discard() {
        if (!Files.isDirectory(backupDir)) {
            return;
        }
        try (var files = Files.list(backupDir)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("index.json")) {
                    Files.deleteIfExists(f);
                }
            }
            AtomicFiles.delete(backupDir.resolve("index.json"));
        } catch (IOException e) {
            throw new AgentException(Kind.ACTIVATION, "cannot clear " + backupDir + ": " + e.getMessage(), e);
        }
    }

    /** Keeps a copy of {@code target} as it was before the switch (the first time only). */
    private void backup(Path target) throws IOException {
        Files.createDirectories(backupDir);
        Files.setPosixFilePermissions(backupDir, PosixFilePermissions.fromString("rwx------"));
        List<Backup> entries = new ArrayList<>(readIndex(backupDir.resolve("index.json")));
        for (Backup b : entries) {
            if (b.path().equals(target.toString())) {
                return;
            }
        }
        boolean existed = Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS);
        Optional<String> copy = Optional.empty();
        if (existed) {
            copy = Optional.of("copy-" + (entries.size() + 1));
            Path copyPath = backupDir.resolve(copy.get());
            Files.deleteIfExists(copyPath);
            Files.copy(target, copyPath, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
        entries.add(new Backup(target.toString(), existed, copy));
        JsonArray.Builder index = JsonArray.builder();
        for (Backup b : entries) {
            index.add(b.toJson());
        }
        AtomicFiles.write(backupDir.resolve("index.json"), Json.write(index.build()), "rw-------");
    }

    /** A file the pending switch replaced ({@code existed}: then kept as {@code copy}) or created, in {@code index.json}. */
    private record Backup(String path, boolean existed, Optional<String> copy) {
        JsonObject toJson() {
            JsonObject.Builder o = JsonObject.builder().put("path", path).put("existed", existed);
            copy.ifPresent(c -> o.put("copy", c));
            return o.build();
        }
    }

    private static List<Backup> readIndex(Path index) throws IOException {
        if (!Files.isRegularFile(index)) {
            return List.of();
        }
        try {
            List<Backup> entries = new ArrayList<>();
            for (JsonObject e : Json.parse(Files.readAllBytes(index)).asArray().objects()) {
                entries.add(new Backup(e.string("path"), e.bool("existed"), e.optString("copy")));
            }
            return entries;
        } catch (JsonException e) {
            throw new IOException(index + " is unreadable: " + e.getMessage(), e);
        }
    }

    private void write(Path target, byte[] content, SecretSpec spec) throws IOException {
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        Path tmp = dir.resolve("." + target.getFileName() + ".flotilla-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            setOwnerAndMode(tmp, spec);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
            Arrays.fill(content, (byte) 0);
        }
        AtomicFiles.syncDirectory(dir);
    }

    private static void setOwnerAndMode(Path file, SecretSpec spec) throws IOException {
        UserPrincipalLookupService lookup = file.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        try {
            var owner = lookup.lookupPrincipalByName(spec.owner());
            if (!owner.equals(view.readAttributes().owner())) {
                view.setOwner(owner);
            }
            GroupPrincipal group = null;
            if (spec.group().isPresent()) {
                group = lookup.lookupPrincipalByGroupName(spec.group().get());
            } else {
                try {
                    group = lookup.lookupPrincipalByGroupName(spec.owner());
                } catch (IOException ignored) {
                    // no group named like the owner: keep the agent's
                }
            }
            if (group != null && !group.equals(view.readAttributes().group())) {
                view.setGroup(group);
            }
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw new IOException("secret '" + spec.name() + "': no such user or group: " + e.getName(), e);
        }
        view.setPermissions(PosixFilePermissions.fromString(spec.permissions()));
    }

    private Path physical(String logical) {
        return root.resolve(logical.substring(1));
    }
}
