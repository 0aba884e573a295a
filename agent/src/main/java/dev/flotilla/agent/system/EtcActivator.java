package dev.flotilla.agent.system;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.agent.profile.Symlinks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Makes {@code R/etc} match a system, as NixOS does: {@code R/etc/static} is a relative symlink to
 * the toplevel's {@code etc} directory (switched by rename), and every managed entry
 * {@code R/etc/<name>} is a symlink to {@code static/<name>}. The set of managed names is kept in
 * {@code R/flotilla/var/etc-managed} so entries dropped by a new system are removed. Anything at a
 * managed path that is not the agent's own link is moved aside, never lost.
 */
public final class EtcActivator {
    private final Path root;
    private final Path etc;
    private final Path stateFile;
    private final Clock clock;

    public EtcActivator(Path root) {
        this(root, Clock.systemUTC());
    }

    public EtcActivator(Path root, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.etc = this.root.resolve("etc");
        this.stateFile = this.root.resolve("flotilla/var/etc-managed");
        this.clock = clock;
    }

    /** Activates the etc entries of {@code toplevel} (a logical store path) as {@code manifest} lists them. */
    public EtcChanges activate(String toplevel, Manifest manifest) {
        return run(Optional.of(toplevel), manifest, true);
    }

    /** What {@link #activate} would change; changes nothing. */
    public EtcChanges plan(String toplevel, Manifest manifest) {
        return run(Optional.of(toplevel), manifest, false);
    }

    /** Removes every managed entry and {@code etc/static} (no system active). */
    public EtcChanges deactivate() {
        return run(Optional.empty(), Manifest.EMPTY, true);
    }

    private EtcChanges run(Optional<String> toplevel, Manifest manifest, boolean apply) {
        try {
            Optional<Path> newEtc = toplevel.isPresent() ? Optional.of(physical(toplevel.get()).resolve("etc")) : Optional.empty();
            if (newEtc.isPresent()) {
                checkSources(newEtc.get(), manifest);
            }
            Optional<String> oldStatic = Symlinks.read(etc.resolve("static"));
            Optional<Path> oldEtc = oldStatic.isPresent() ? Optional.of(etc.resolve(oldStatic.get()).normalize()) : Optional.empty();
            SortedSet<String> oldNames = new TreeSet<>(readState().keySet());
            List<String> added = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            List<EtcChanges.Backup> backups = new ArrayList<>();
            if (apply) {
                // first record the union of old and new names, so a crash in the middle leaves no
                // link of ours that the next activation does not know to remove
                java.util.SortedMap<String, String> intent = new java.util.TreeMap<>(readState());
                for (String name : manifest.etc().keySet()) {
                    intent.putIfAbsent(name, "");
                }
                writeState(intent);
                Files.createDirectories(etc);
                switchStatic(toplevel, backups);
            }
            // removals first, so an entry may turn from a file into a directory or back
            for (String name : oldNames) {
                if (!manifest.etc().containsKey(name)) {
                    removed.add(name);
                    unlink(name, apply, backups);
                }
            }
            for (String name : manifest.etc().keySet()) {
                if (!oldNames.contains(name)) {
                    added.add(name);
                } else if (contentDiffers(oldEtc, newEtc.orElseThrow(), name)) {
                    changed.add(name);
                }
                link(name, apply, backups);
            }
            if (apply) {
                java.util.SortedMap<String, String> hashes = new java.util.TreeMap<>();
                for (String name : manifest.etc().keySet()) {
                    hashes.put(name, sha256(newEtc.orElseThrow().resolve(name)));
                }
                writeState(hashes);
            }
            return new EtcChanges(added, changed, removed, backups);
        } catch (IOException e) {
            throw new AgentException(Kind.ACTIVATION, "activating etc in " + etc + " failed: " + e, e);
        }
    }

    private Path physical(String logicalStorePath) {
        return root.resolve(logicalStorePath.replaceFirst("^/+", ""));
    }

    private static void checkSources(Path newEtc, Manifest manifest) {
        for (String name : manifest.etc().keySet()) {
            if (!Files.isRegularFile(newEtc.resolve(name))) {
                throw new AgentException(Kind.ACTIVATION, "the system lists etc entry '" + name
                        + "' but " + newEtc.resolve(name) + " is not a regular file");
            }
        }
    }

    private void switchStatic(Optional<String> toplevel, List<EtcChanges.Backup> backups) throws IOException {
        Path staticLink = etc.resolve("static");
        if (Files.exists(staticLink, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(staticLink)) {
            backups.add(moveAside("static", true));
        }
        if (toplevel.isPresent()) {
            Symlinks.replace(staticLink, ".." + toplevel.get() + "/etc");
        } else {
            Files.deleteIfExists(staticLink);
        }
    }

    /** The link text for entry {@code name}: {@code static/<name>}, with one {@code ../} per directory level. */
    static String linkText(String name) {
        int depth = 0;
        for (int i = 0; i < name.length(); i++) {
            depth += name.charAt(i) == '/' ? 1 : 0;
        }
        return "../".repeat(depth) + "static/" + name;
    }

    private void link(String name, boolean apply, List<EtcChanges.Backup> backups) throws IOException {
        Path path = etc.resolve(name);
        String expected = linkText(name);
        Optional<String> current = Symlinks.read(path);
        if (current.isPresent() && current.get().equals(expected)) {
            return;
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            backups.add(moveAside(name, apply));
        }
        if (apply) {
            Files.createDirectories(path.getParent());
            Symlinks.replace(path, expected);
        }
    }

    private void unlink(String name, boolean apply, List<EtcChanges.Backup> backups) throws IOException {
        Path path = etc.resolve(name);
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Symlinks.read(path).equals(Optional.of(linkText(name)))) {
            backups.add(moveAside(name, apply));
            return;
        }
        if (apply) {
            Files.delete(path);
            pruneEmptyParents(path.getParent());
        }
    }

    private void pruneEmptyParents(Path dir) throws IOException {
        while (!dir.equals(etc) && dir.startsWith(etc)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    return;
                }
            }
            Files.delete(dir);
            dir = dir.getParent();
        }
    }

    private EtcChanges.Backup moveAside(String name, boolean apply) throws IOException {
        Path path = etc.resolve(name);
        String base = name + ".flotilla-backup-" + Stamp.FORMAT.format(clock.instant());
        String backupName = base;
        for (int i = 2; Files.exists(etc.resolve(backupName), LinkOption.NOFOLLOW_LINKS); i++) {
            backupName = base + "-" + i;
        }
        if (apply) {
            Files.move(path, etc.resolve(backupName), StandardCopyOption.ATOMIC_MOVE);
        }
        return new EtcChanges.Backup(name, backupName);
    }

    private static boolean contentDiffers(Optional<Path> oldEtc, Path newEtc, String name) throws IOException {
        if (oldEtc.isEmpty() || !Files.isRegularFile(oldEtc.get().resolve(name))) {
            return true;
        }
        return Files.mismatch(oldEtc.get().resolve(name), newEtc.resolve(name)) != -1;
    }

    /** Managed names → SHA-256 (hex) of the content activated ("" when unknown: written by an older agent). */
    private java.util.SortedMap<String, String> readState() throws IOException {
        java.util.SortedMap<String, String> names = new java.util.TreeMap<>();
        if (Files.isRegularFile(stateFile)) {
            for (String line : Files.readAllLines(stateFile)) {
                if (!line.isBlank()) {
                    int tab = line.indexOf('\t');
                    names.put(tab < 0 ? line.strip() : line.substring(0, tab), tab < 0 ? "" : line.substring(tab + 1).strip());
                }
            }
        }
        return names;
    }

    private void writeState(java.util.SortedMap<String, String> hashes) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> e : hashes.entrySet()) {
            text.append(e.getKey()).append('\t').append(e.getValue()).append('\n');
        }
        dev.flotilla.agent.state.AtomicFiles.write(stateFile, text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String sha256(Path file) throws IOException {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            return java.util.HexFormat.of().formatHex(md.digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Managed entries that are no longer what activation left: replaced (a hand-edited copy or
     * another link; kept aside at the next switch), missing, or modified through the link (the
     * store file itself written). {@code active} is the active toplevel, if any.
     */
    public List<dev.flotilla.agent.DriftEntry> drift(Optional<String> active) {
        List<dev.flotilla.agent.DriftEntry> out = new ArrayList<>();
        try {
            if (active.isPresent()) {
                String expected = ".." + active.get() + "/etc";
                Optional<String> actual = Symlinks.read(etc.resolve("static"));
                if (!actual.equals(Optional.of(expected))) {
                    out.add(new dev.flotilla.agent.DriftEntry("static", actual.isEmpty() && !Files.exists(etc.resolve("static"), LinkOption.NOFOLLOW_LINKS)
                            ? dev.flotilla.agent.DriftEntry.Kind.MISSING : dev.flotilla.agent.DriftEntry.Kind.REPLACED,
                            "/etc/static should link to " + expected + describe(etc.resolve("static"))));
                }
            }
            for (var e : readState().entrySet()) {
                String name = e.getKey();
                Path path = etc.resolve(name);
                String expected = linkText(name);
                if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(new dev.flotilla.agent.DriftEntry(name, dev.flotilla.agent.DriftEntry.Kind.MISSING, "/etc/" + name + " is gone"));
                } else if (!Symlinks.read(path).equals(Optional.of(expected))) {
                    out.add(new dev.flotilla.agent.DriftEntry(name, dev.flotilla.agent.DriftEntry.Kind.REPLACED,
                            "/etc/" + name + " should link to " + expected + describe(path)));
                } else if (!e.getValue().isEmpty() && Files.isRegularFile(path) && !sha256(path).equals(e.getValue())) {
                    out.add(new dev.flotilla.agent.DriftEntry(name, dev.flotilla.agent.DriftEntry.Kind.MODIFIED,
                            "the store file behind /etc/" + name + " was written to since activation"));
                }
            }
        } catch (IOException e) {
            throw new AgentException(Kind.ACTIVATION, "checking etc in " + etc + " for drift failed: " + e.getMessage(), e);
        }
        return out;
    }

    private static String describe(Path path) {
        if (Files.isSymbolicLink(path)) {
            return ", but links to " + Symlinks.read(path).orElse("?");
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return ", but is a directory";
        }
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? ", but is a regular file (edited by hand?)" : ", but is missing";
    }

    /** Built at the first backup, not when the agent starts: a DateTimeFormatter is costly for an idle agent. */
    private static final class Stamp {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    }
}
