package dev.flotilla.store;

import dev.flotilla.store.internal.FsUtil;
import dev.flotilla.store.internal.TempNames;
import dev.flotilla.store.nar.NarReader;
import dev.flotilla.store.nar.NarSummary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Imports received NARs, checked exactly as {@link LocalStore#importNar} checks them, but made
 * durable and registered in groups: each {@link #add} restores and verifies a path under a
 * temporary name without fsync; a commit flushes the file system once, renames every path of the
 * group into place, writes every metadata file, flushes again and renames those into place. A path
 * is valid only once its metadata file has its final name, after its content is durable, so a crash
 * at any point leaves each path valid and whole or not valid; temporaries are removed when a store
 * is next opened.
 *
 * <p>Commits run on a thread of their own while the next paths are received, whenever the paths
 * finished since the last commit reach the {@link Budget} (a count, a size, or an age): the
 * flushes overlap the transfer instead of stopping it, and a transfer that is cut off, or a host
 * that dies, keeps every path committed before (a rerun sends only the rest). {@link #commit} waits
 * for everything finished so far.
 *
 * <p>Why flushes and not fsyncs: on the disks measured (ext4 on virtio), each fsync costs 2–3 ms
 * whether or not the data was already written, so a path of a few files cost ~9 fsyncs, and 5,000
 * small paths 90 s. A file-system flush ({@code syncfs}) costs about one fsync plus the data
 * written. Where it is unavailable, commits fall back to fsyncing every file.
 *
 * <p>References may name paths added earlier to the same batch (the sender's topological order).
 * {@link #add}, {@link #commit} and {@link #close} are for one thread (the session's);
 * {@code onRegistered} is called on that thread too, from those methods.
 */
public final class ImportBatch implements AutoCloseable {
    /**
     * When finished paths are committed without waiting for {@link #commit}: as soon as there are
     * {@code paths} of them, {@code bytes} of NAR, or the oldest finished {@code age} ago.
     */
    public record Budget(int paths, long bytes, Duration age) {
        /**
         * Each commit flushes the file system, so on a fast link they are kept to one per 256 MiB or two
         * seconds (at 64 MiB / 1 s a 1 GiB copy measured slower); on a slow link no finished path waits
         * more than two seconds to become durable.
         */
        public static final Budget DEFAULT = new Budget(2000, 256L << 20, Duration.ofSeconds(2));

        public Budget {
            if (paths < 1 || bytes < 1 || age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("commit budget must be positive: " + paths + " paths, "
                        + bytes + " bytes, " + age);
            }
        }
    }

    private static final ExecutorService VERIFIER = Executors.newFixedThreadPool(
            Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
            Thread.ofPlatform().daemon().name("store-verify-", 0).factory());

    private record Pending(Path temp, PathInfo info) {
    }

    private final LocalStore store;
    private final TrustedKeys trusted;
    private final Consumer<PathInfo> onRegistered;
    private final Budget budget;
    /** Every path added, committed or not: what later paths of this batch may reference. Session thread only. */
    private final Set<StorePath> added = new HashSet<>();
    /** Registered by the committer, not yet passed to {@code onRegistered}. */
    private final Queue<PathInfo> toAnnounce = new ConcurrentLinkedQueue<>();

    private final Object lock = new Object();
    // guarded by lock
    private List<Pending> pending = new ArrayList<>();
    private long pendingBytes;
    private long oldestNanos;
    private boolean flushWanted;
    private boolean committing;
    private boolean closed;
    private IOException failure;
    private int registered;
    private Thread committer;

    ImportBatch(LocalStore store, TrustedKeys trusted, Budget budget, Consumer<PathInfo> onRegistered) {
        this.store = store;
        this.trusted = Objects.requireNonNull(trusted, "trusted");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.onRegistered = Objects.requireNonNull(onRegistered, "onRegistered");
    }

    /**
     * Restores and verifies one path (store directory, trusted signature, references valid or earlier
     * in this batch, NAR hash and size). It becomes valid at a later commit. If it is valid already,
     * or already in the batch, the NAR is read and discarded. A failure of an earlier background
     * commit is thrown here.
     */
    public void add(PathInfo claimed, InputStream nar) throws IOException {
        announce();
        throwFailure();
        StorePath path = claimed.path();
        if (!path.storeDir().equals(store.storeDir())) {
            throw new StoreException(ErrorCode.FOREIGN_STORE_DIR, path.absolute(), "not in the store directory " + store.storeDir());
        }
        // Ed25519 in the JDK takes 1-2 ms here: check the signature on another core while the NAR is restored
        CompletableFuture<Boolean> signed = CompletableFuture.supplyAsync(() -> trusted.verify(claimed), VERIFIER);
        for (StorePath ref : claimed.references()) {
            if (!ref.equals(path) && !added.contains(ref) && !store.isValid(ref)) {
                throw new StoreException(ErrorCode.MISSING_REFERENCE, path.absolute(),
                        "reference " + ref + " is not valid in this store");
            }
        }
        if (added.contains(path) || store.isValid(path)) {
            requireSigned(signed, claimed);
            nar.skipNBytes(claimed.narSize());
            return;
        }
        Path temp = TempNames.allocate(store.storePhysical());
        boolean kept = false;
        try {
            NarReader.Options unsynced = new NarReader.Options(store.storeDir(), claimed.narSize(), true, false);
            NarSummary got = NarReader.restore(nar, temp, unsynced);
            if (got.narSize() != claimed.narSize()) {
                throw new StoreException(ErrorCode.SIZE_MISMATCH, path.absolute(),
                        "NAR has " + got.narSize() + " bytes, " + claimed.narSize() + " were claimed");
            }
            if (!got.narHash().equals(claimed.narHash())) {
                throw new StoreException(ErrorCode.HASH_MISMATCH, path.absolute(),
                        "NAR hash is " + got.narHash() + ", " + claimed.narHash() + " was claimed");
            }
            requireSigned(signed, claimed);
            enqueue(new Pending(temp, claimed));
            added.add(path);
            kept = true;
        } catch (StoreException e) {
            throw e.path() == null ? new StoreException(e.code(), path.absolute(), e.getMessage(), e) : e;
        } finally {
            if (!kept) {
                deleteTemp(temp);
            }
        }
    }

    private void requireSigned(CompletableFuture<Boolean> signed, PathInfo claimed) throws StoreException {
        boolean ok;
        try {
            ok = signed.join();
        } catch (java.util.concurrent.CompletionException e) {
            ok = false;
        }
        if (!ok) {
            throw new StoreException(ErrorCode.BAD_SIGNATURE, claimed.path().absolute(),
                    "lacks a valid signature by a trusted key " + trusted.names());
        }
    }

    /** Hands a verified path to the committer, starting it with the first one. */
    private void enqueue(Pending p) throws IOException {
        synchronized (lock) {
            if (closed) {
                throw new IOException("import batch is closed");
            }
            if (pending.isEmpty()) {
                oldestNanos = System.nanoTime();
            }
            pending.add(p);
            pendingBytes += p.info().narSize();
            if (committer == null) {
                committer = Thread.ofPlatform().daemon().name("store-commit").start(this::commitLoop);
            }
            lock.notifyAll();
        }
    }

    /**
     * Makes every path added so far durable and valid, in the order added, and waits until it is.
     * Throws the failure of any commit of this batch.
     */
    public void commit() throws IOException {
        synchronized (lock) {
            flushWanted = true;
            lock.notifyAll();
            try {
                while ((!pending.isEmpty() || committing) && failure == null) {
                    lock.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while committing imported paths");
            } finally {
                flushWanted = false;
            }
        }
        announce();
        throwFailure();
    }

    /** The committer: takes what finished whenever the budget (or a waiting {@link #commit}) says so. */
    private void commitLoop() {
        while (true) {
            List<Pending> group;
            synchronized (lock) {
                try {
                    long wait;
                    while (!closed && failure == null && (wait = untilDue()) > 0) {
                        lock.wait(Math.max(1, wait / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    return; // nobody interrupts this thread; if something does, close() deletes what is left
                }
                if (closed || failure != null) {
                    return;
                }
                group = pending;
                pending = new ArrayList<>();
                pendingBytes = 0;
                committing = true;
            }
            IOException failed = null;
            try {
                commitGroup(group);
            } catch (IOException e) {
                failed = e;
            } catch (RuntimeException e) {
                failed = new IOException("commit of imported paths failed: " + e, e);
            } finally {
                for (Pending p : group) {
                    deleteTemp(p.temp()); // nothing left after a success; after a failure, what was not renamed
                }
            }
            synchronized (lock) {
                committing = false;
                if (failed != null && failure == null) {
                    failure = failed;
                }
                lock.notifyAll();
            }
        }
    }

    /** Nanoseconds until the pending paths are due for a commit (0: now); long when nothing is pending. */
    private long untilDue() {
        if (pending.isEmpty()) {
            return Long.MAX_VALUE;
        }
        if (flushWanted || pending.size() >= budget.paths() || pendingBytes >= budget.bytes()) {
            return 0;
        }
        return Math.max(0, budget.age().toNanos() - (System.nanoTime() - oldestNanos));
    }

    /** On the committer: flush, then register under the store lock. */
    private void commitGroup(List<Pending> group) throws IOException {
        if (!FsUtil.syncFileSystem(store.storePhysical())) {
            for (Pending p : group) {
                FsUtil.fsyncTree(p.temp());
            }
        }
        List<PathInfo> done = store.locked(() -> registerPending(group));
        toAnnounce.addAll(done); // before the count: whoever sees the count finds them to announce
        synchronized (lock) {
            registered += done.size();
        }
    }

    /** Under the store lock: content into place, then metadata, each step durable before the next. */
    private List<PathInfo> registerPending(List<Pending> group) throws IOException {
        List<PathInfo> done = new ArrayList<>();
        Set<StorePath> placed = new HashSet<>();
        for (Pending p : group) {
            StorePath path = p.info().path();
            if (store.isValid(path)) {
                FsUtil.deleteTree(p.temp()); // another writer got there first
                continue;
            }
            for (StorePath ref : p.info().references()) { // again: a garbage collection may have run
                if (!ref.equals(path) && !placed.contains(ref) && !store.isValid(ref)) {
                    throw new StoreException(ErrorCode.MISSING_REFERENCE, path.absolute(),
                            "reference " + ref + " is not valid in this store");
                }
            }
            Path target = store.physical(path);
            FsUtil.deleteTree(target); // content without metadata, left by a crash
            Files.move(p.temp(), target, StandardCopyOption.ATOMIC_MOVE);
            placed.add(path);
            done.add(p.info().withRegistrationTime(Instant.ofEpochSecond(Instant.now().getEpochSecond())));
        }
        List<Path[]> infos = new ArrayList<>();
        try {
            for (PathInfo info : done) {
                Path tmp = TempNames.allocate(store.infoDir());
                infos.add(new Path[] {tmp, store.infoFile(info.path())});
                write(tmp, NarInfo.renderWithRegistration(info).getBytes(StandardCharsets.UTF_8));
            }
            // the renamed content and the metadata temporaries, durable before any path becomes valid
            if (!FsUtil.syncFileSystem(store.infoDir())) {
                FsUtil.fsyncDirectory(store.storePhysical());
                for (Path[] i : infos) {
                    try (FileChannel ch = FileChannel.open(i[0], StandardOpenOption.READ)) {
                        ch.force(true);
                    }
                }
            }
            for (Path[] i : infos) {
                Files.move(i[0], i[1], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            FsUtil.fsyncDirectory(store.infoDir());
        } finally {
            for (Path[] i : infos) {
                Files.deleteIfExists(i[0]);
                TempNames.release(i[0]);
            }
        }
        return done;
    }

    private static void write(Path file, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    /** Paths made valid by this batch's commits so far. */
    public int registered() {
        synchronized (lock) {
            return registered;
        }
    }

    /**
     * Stops committing: a commit under way completes (its paths are whole and verified), what was
     * not committed yet is deleted. Registered paths not yet announced are announced.
     */
    @Override
    public void close() throws IOException {
        Thread worker;
        List<Pending> left;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            worker = committer;
        }
        joinUninterruptibly(worker);
        synchronized (lock) {
            left = pending;
            pending = new ArrayList<>();
        }
        for (Pending p : left) {
            deleteTemp(p.temp());
        }
        announce();
    }

    private static void joinUninterruptibly(Thread t) {
        if (t == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void announce() {
        for (PathInfo info; (info = toAnnounce.poll()) != null; ) {
            onRegistered.accept(info);
        }
    }

    private void throwFailure() throws IOException {
        IOException f;
        synchronized (lock) {
            f = failure;
        }
        if (f instanceof StoreException e) {
            throw new StoreException(e.code(), e.path(), e.reason(), e);
        }
        if (f != null) {
            throw new IOException("an earlier commit of this transfer failed: " + f.getMessage(), f);
        }
    }

    private static void deleteTemp(Path temp) {
        try {
            FsUtil.deleteTree(temp);
        } catch (IOException | RuntimeException ignored) {
            // left for the next opening of the store, which removes stale temporaries
        } finally {
            TempNames.release(temp);
        }
    }
}
