package dev.flotilla.store;

import dev.flotilla.store.internal.FsUtil;
import dev.flotilla.store.internal.StoreLock;
import dev.flotilla.store.internal.TempNames;
import dev.flotilla.store.nar.NarPipe;
import dev.flotilla.store.nar.NarReader;
import dev.flotilla.store.nar.NarSummary;
import dev.flotilla.store.nar.NarWriter;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A store on the local file system, possibly under a physical root prefix so that many hosts can
 * share one machine in tests. Path {@code <storeDir>/<base>} lives at {@code <root><storeDir>/<base>};
 * its metadata is a narinfo file under {@code <root>/flotilla/var/db/info/}.
 *
 * <p>Crash safety: a path is valid exactly when its metadata file exists and its content is at the
 * final name. Content is restored under a temporary name, fsynced and made read-only, renamed into
 * place, and only then is the metadata written (temp file, fsync, rename, fsync). Whatever a crash
 * leaves — a temporary, or content without metadata — is therefore invalid: temporaries are
 * removed when a store is opened, and content without metadata is replaced when the path is added.
 */
public final class LocalStore {
    private final Path root;
    private final StoreDir storeDir;
    private final Path storePhysical;
    private final Path infoDir;
    private final StoreLock lock;

    public LocalStore(Path physicalRoot, StoreDir storeDir) throws IOException {
        this.root = physicalRoot.toAbsolutePath().normalize();
        this.storeDir = storeDir;
        this.storePhysical = root.resolve(storeDir.path().substring(1));
        Path db = root.resolve("flotilla/var/db");
        this.infoDir = db.resolve("info");
        Files.createDirectories(storePhysical);
        Files.createDirectories(infoDir);
        this.lock = new StoreLock(db.resolve("lock"));
        TempNames.cleanStale(storePhysical);
        TempNames.cleanStale(infoDir);
    }

    public StoreDir storeDir() {
        return storeDir;
    }

    public Path physicalRoot() {
        return root;
    }

    /** Where {@code path}'s content lives on this machine. */
    public Path physical(StorePath path) {
        requireOwn(path);
        return storePhysical.resolve(path.baseName());
    }

    public boolean isValid(StorePath path) {
        return path.storeDir().equals(storeDir) && Files.exists(infoFile(path))
                && Files.exists(physical(path), LinkOption.NOFOLLOW_LINKS);
    }

    public Optional<PathInfo> info(StorePath path) throws IOException {
        if (!isValid(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(NarInfo.parse(storeDir, Files.readString(infoFile(path), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The info of a path that must be valid. */
    public PathInfo requireInfo(StorePath path) throws IOException {
        return info(path).orElseThrow(() -> new StoreException(ErrorCode.NOT_VALID, path.absolute(), "not valid in " + root));
    }

    /** Every valid path. */
    public Set<StorePath> validPaths() throws IOException {
        Set<StorePath> out = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(infoDir, "*.narinfo")) {
            for (Path e : entries) {
                String name = e.getFileName().toString();
                StorePath p = StorePath.fromBaseName(storeDir, name.substring(0, name.length() - ".narinfo".length()));
                if (isValid(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** The roots and everything they reference, transitively. Every path met must be valid. */
    public Set<StorePath> closure(Collection<StorePath> roots) throws IOException {
        Set<StorePath> seen = new TreeSet<>();
        List<StorePath> todo = new ArrayList<>(roots);
        while (!todo.isEmpty()) {
            StorePath p = todo.removeLast();
            if (seen.add(p)) {
                todo.addAll(requireInfo(p).references());
            }
        }
        return seen;
    }

    /** {@code paths} ordered so that each comes after the paths it references (among {@code paths}). */
    public List<StorePath> topoSort(Collection<StorePath> paths) throws IOException {
        return Closures.topoSort(new TreeSet<>(paths), p -> requireInfo(p).references());
    }

    /**
     * Adds a local file or directory as a content-addressed source path, like {@code nix-store --add}
     * but with {@code references} included in the path. Returns the existing info if the path is
     * already valid (signed by {@code signer} too, if given and not yet).
     */
    public PathInfo addTree(Path source, String name, Set<StorePath> references, SigningKey signer) throws IOException {
        checkNewName(name);
        requireValidReferences(null, references);
        NarSummary summary = NarWriter.summarize(source);
        StorePath path = StorePaths.source(storeDir, name, summary.narHash(), references, false);
        if (isValid(path)) {
            return ensureSigned(path, signer);
        }
        Path temp = TempNames.allocate(storePhysical);
        try {
            NarSummary copied = NarPipe.copy(source, temp, storeOptions(summary.narSize()));
            if (!copied.equals(summary)) {
                throw new StoreException(ErrorCode.HASH_MISMATCH, source.toString(), "changed while it was being added");
            }
            PathInfo info = new PathInfo(path, summary.narHash(), summary.narSize(), references, null, Set.of(), null);
            return install(temp, info.signedBy(signer));
        } finally {
            cleanup(temp);
        }
    }

    /** Adds {@code text} (as UTF-8) as a text path, like {@code builtins.toFile}. */
    public PathInfo addText(String name, String text, Set<StorePath> references, SigningKey signer) throws IOException {
        checkNewName(name);
        requireValidReferences(null, references);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StorePath path = StorePaths.text(storeDir, name, bytes, references);
        if (isValid(path)) {
            return ensureSigned(path, signer);
        }
        Path temp = TempNames.allocate(storePhysical);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                FsUtil.canonicalize(temp, false, false, false);
                ch.force(true);
            }
            NarSummary summary = NarWriter.summarize(temp);
            PathInfo info = new PathInfo(path, summary.narHash(), summary.narSize(), references, null, Set.of(), null);
            return install(temp, info.signedBy(signer));
        } finally {
            cleanup(temp);
        }
    }

    /**
     * Imports a path received as a NAR. Checks, before the path can become valid: the store directory,
     * a signature by a trusted key (skipped only when {@code trusted} is null, for callers that vouch
     * for the content themselves), that every reference is valid, and that the NAR has exactly the
     * claimed hash and size. Reads exactly the claimed number of bytes when it succeeds. If the path
     * is already valid, the NAR is read and discarded and the existing info is returned.
     */
    public PathInfo importNar(PathInfo claimed, InputStream narStream, TrustedKeys trusted) throws IOException {
        StorePath path = claimed.path();
        if (!path.storeDir().equals(storeDir)) {
            throw new StoreException(ErrorCode.FOREIGN_STORE_DIR, path.absolute(), "not in the store directory " + storeDir);
        }
        if (trusted != null && !trusted.verify(claimed)) {
            throw new StoreException(ErrorCode.BAD_SIGNATURE, path.absolute(), "lacks a valid signature by a trusted key "
                    + trusted.names());
        }
        requireValidReferences(path, claimed.references());
        if (isValid(path)) {
            skipFully(narStream, claimed.narSize());
            return requireInfo(path);
        }
        Path temp = TempNames.allocate(storePhysical);
        try {
            NarSummary got = NarReader.restore(narStream, temp, storeOptions(claimed.narSize()));
            if (got.narSize() != claimed.narSize()) {
                throw new StoreException(ErrorCode.SIZE_MISMATCH, path.absolute(),
                        "NAR has " + got.narSize() + " bytes, " + claimed.narSize() + " were claimed");
            }
            if (!got.narHash().equals(claimed.narHash())) {
                throw new StoreException(ErrorCode.HASH_MISMATCH, path.absolute(),
                        "NAR hash is " + got.narHash() + ", " + claimed.narHash() + " was claimed");
            }
            return install(temp, claimed);
        } catch (StoreException e) {
            if (e.path() == null) {
                throw new StoreException(e.code(), path.absolute(), e.getMessage(), e);
            }
            throw e;
        } finally {
            cleanup(temp);
        }
    }

    /**
     * A batch of imports made durable in groups ({@link ImportBatch}), committed in the background
     * within {@link ImportBatch.Budget#DEFAULT}: what a copy uses, since one flush per group costs
     * what one fsync per file would cost per file.
     */
    public ImportBatch importBatch(TrustedKeys trusted, java.util.function.Consumer<PathInfo> onRegistered) {
        return importBatch(trusted, ImportBatch.Budget.DEFAULT, onRegistered);
    }

    /** As {@link #importBatch(TrustedKeys, java.util.function.Consumer)}, committing within {@code budget}. */
    public ImportBatch importBatch(TrustedKeys trusted, ImportBatch.Budget budget,
                                   java.util.function.Consumer<PathInfo> onRegistered) {
        return new ImportBatch(this, trusted, budget, onRegistered);
    }

    /** Serialises a valid path as a NAR. */
    public void writeNar(StorePath path, OutputStream out) throws IOException {
        requireInfo(path);
        NarWriter.dump(physical(path), out);
    }

    /** Adds signatures to a valid path's metadata. */
    public PathInfo addSignatures(StorePath path, Collection<Signature> signatures) throws IOException {
        return lock.locked(() -> {
            PathInfo updated = requireInfo(path).withSignatures(signatures);
            writeInfo(updated);
            return updated;
        });
    }

    /** Signs a valid path with {@code key} (no change if already signed by it). */
    public PathInfo sign(StorePath path, SigningKey key) throws IOException {
        return ensureSigned(path, key);
    }

    /**
     * Checks every valid path: content present, NAR hash and size as recorded, references valid.
     * Returns one line per problem; empty means the store is consistent.
     */
    public List<String> verify() throws IOException {
        List<String> problems = new ArrayList<>();
        for (StorePath p : validPaths()) {
            try {
                PathInfo info = requireInfo(p);
                NarSummary actual = NarWriter.summarize(physical(p));
                if (!actual.narHash().equals(info.narHash()) || actual.narSize() != info.narSize()) {
                    problems.add(p + ": content has hash " + actual.narHash() + " and size " + actual.narSize()
                            + ", recorded " + info.narHash() + " and " + info.narSize());
                }
                for (StorePath ref : info.references()) {
                    if (!isValid(ref)) {
                        problems.add(p + ": reference " + ref + " is not valid");
                    }
                }
            } catch (IOException | RuntimeException e) {
                problems.add(p + ": " + e.getMessage());
            }
        }
        return problems;
    }

    /** Moves restored content into place and registers it, unless another writer got there first. */
    private PathInfo install(Path temp, PathInfo info) throws IOException {
        return lock.locked(() -> {
            if (isValid(info.path())) {
                return requireInfo(info.path());
            }
            // checked again under the lock: a garbage collection may have removed a reference meanwhile
            requireValidReferences(info.path(), info.references());
            Path target = physical(info.path());
            FsUtil.deleteTree(target); // content without metadata, left by a crash
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            FsUtil.fsyncDirectory(storePhysical);
            PathInfo registered = info.withRegistrationTime(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
            writeInfo(registered);
            return registered;
        });
    }

    /** Runs {@code body} holding the store's registration lock (for the garbage collector). */
    <T> T locked(StoreLock.Body<T> body) throws IOException {
        return lock.locked(body);
    }

    /** The physical store directory, where content and temporaries live. */
    Path storePhysical() {
        return storePhysical;
    }

    /** The directory of metadata files. */
    Path infoDir() {
        return infoDir;
    }

    /** Where a path's metadata lives; the path is valid only while this file exists. */
    Path infoFile(StorePath path) {
        return infoDir.resolve(path.baseName() + ".narinfo");
    }

    private PathInfo ensureSigned(StorePath path, SigningKey signer) throws IOException {
        PathInfo info = requireInfo(path);
        if (signer == null || info.signatures().stream().anyMatch(s -> signer.publicKey().verify(info.fingerprint(), s))) {
            return info;
        }
        return addSignatures(path, Set.of(signer.sign(info)));
    }

    private void writeInfo(PathInfo info) throws IOException {
        FsUtil.writeAtomically(infoFile(info.path()), NarInfo.renderWithRegistration(info).getBytes(StandardCharsets.UTF_8));
    }

    void requireValidReferences(StorePath self, Collection<StorePath> references) throws StoreException {
        for (StorePath ref : references) {
            if (!ref.equals(self) && !isValid(ref)) {
                throw new StoreException(ErrorCode.MISSING_REFERENCE, self == null ? ref.absolute() : self.absolute(),
                        "reference " + ref + " is not valid in this store");
            }
        }
    }

    /** Nix 2.8 accepts names with a leading dot, later versions refuse them: we never make one. */
    private static void checkNewName(String name) throws StoreException {
        if (name.startsWith(".")) {
            throw new StoreException(ErrorCode.MALFORMED_INPUT, name, "a new store path name may not start with '.'");
        }
        try {
            StorePath.checkName("", name);
        } catch (IllegalArgumentException e) {
            throw new StoreException(ErrorCode.MALFORMED_INPUT, name, e.getMessage(), e);
        }
    }

    NarReader.Options storeOptions(long maxBytes) {
        return new NarReader.Options(storeDir, maxBytes, true, true);
    }

    private static void skipFully(InputStream in, long n) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new EOFException("NAR stream ended " + left + " bytes early");
            }
            left -= r;
        }
    }

    private static void cleanup(Path temp) throws IOException {
        try {
            FsUtil.deleteTree(temp);
        } finally {
            TempNames.release(temp);
        }
    }

    private void requireOwn(StorePath path) {
        if (!path.storeDir().equals(storeDir)) {
            throw new IllegalArgumentException(path + " is not in this store's directory " + storeDir);
        }
    }

    @Override
    public String toString() {
        return "LocalStore[" + storeDir + " at " + root + "]";
    }
}
