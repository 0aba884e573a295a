package dev.flotilla.store;

import dev.flotilla.store.internal.FsUtil;
import dev.flotilla.store.internal.TempNames;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deletes the paths of a {@link LocalStore} that no root reaches. Roots are the store paths that
 * symlinks under the root directories lead to (by default {@code <root>/flotilla/var/profiles}, whose
 * {@code system-N-link}s name every generation, and {@code <root>/flotilla/var/gcroots}, whose
 * links may point at store paths or at other links), plus paths pinned by the caller. Everything
 * the roots reference, transitively, stays.
 *
 * <p>Crash safety: marking and invalidation run under the store's registration lock, so no path
 * can be registered with a reference to a path being collected. Dead paths lose their metadata
 * first (referrers before what they reference; the metadata directory is fsynced once they are all
 * gone), and only then is their content renamed to a temporary name and deleted. A crash therefore
 * leaves invalid content or temporaries, never a valid path with partial content; both are removed
 * by the next collection (temporaries also when a store is opened).
 *
 * <p>Not handled: a path registered but not yet rooted (say, copied but not switched to) is
 * garbage; collect while no deployment is writing to the store, or pin what must stay.
 */
public final class GarbageCollector {
    private static final int MAX_LINK_HOPS = 40;

    private final LocalStore store;
    private final List<Path> rootDirs;

    /**
     * What a collection did, or would do for a dry run.
     *
     * @param roots         the store paths the root links and pins lead to (valid ones only)
     * @param live          how many valid paths are reachable from the roots
     * @param dead          the valid paths deleted (or to delete), referrers before their references
     * @param narBytes      the NAR size of {@code dead}, about the space they took
     * @param leftovers     store entries that were not valid paths (content a crash left without metadata)
     * @param danglingRoots root links that lead nowhere; those under {@code gcroots/auto} are removed
     */
    public record Result(Set<StorePath> roots, int live, List<StorePath> dead, long narBytes,
                         List<String> leftovers, List<Path> danglingRoots, boolean dryRun) {
    }

    public GarbageCollector(LocalStore store) {
        this(store, defaultRootDirs(store.physicalRoot()));
    }

    /** @param rootDirs physical directories searched recursively for symlinks (missing ones are skipped) */
    public GarbageCollector(LocalStore store, List<Path> rootDirs) {
        this.store = store;
        this.rootDirs = List.copyOf(rootDirs);
    }

    /** {@code <root>/flotilla/var/profiles} and {@code <root>/flotilla/var/gcroots}. */
    public static List<Path> defaultRootDirs(Path physicalRoot) {
        return List.of(physicalRoot.resolve("flotilla/var/profiles"), physicalRoot.resolve("flotilla/var/gcroots"));
    }

    /** The physical directory of automatic roots, whose dangling links a collection removes (as Nix does). */
    public static Path autoRootsDir(Path physicalRoot) {
        return physicalRoot.resolve("flotilla/var/gcroots/auto");
    }

    /**
     * Deletes every valid path that neither a root link nor {@code pinned} reaches, and any leftover
     * of a crash; with {@code dryRun} only says what would go. A pinned path must be valid.
     */
    public Result collect(Collection<StorePath> pinned, boolean dryRun) throws IOException {
        List<Path> temporaries = new ArrayList<>();
        Result result;
        try {
            result = store.locked(() -> markAndInvalidate(pinned, dryRun, temporaries));
        } finally {
            // outside the lock: the paths are no longer valid, deleting their content can take long
            IOException first = null;
            for (Path t : temporaries) {
                try {
                    FsUtil.deleteTree(t);
                } catch (IOException e) {
                    first = first == null ? e : first;
                } finally {
                    TempNames.release(t);
                }
            }
            if (first != null) {
                throw first;
            }
        }
        return result;
    }

    /** The valid store paths the root links lead to; dangling links are added to {@code dangling}. */
    public Set<StorePath> findRoots(List<Path> dangling) throws IOException {
        Set<StorePath> roots = new TreeSet<>();
        for (Path dir : rootDirs) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isSymbolicLink()) {
                        Target t = resolve(file);
                        if (t.storePath() != null && store.isValid(t.storePath())) {
                            roots.add(t.storePath());
                        } else if (t.storePath() != null || !t.exists()) {
                            dangling.add(file);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE; // vanished meanwhile (a profile being switched)
                }
            });
        }
        return roots;
    }

    private Result markAndInvalidate(Collection<StorePath> pinned, boolean dryRun, List<Path> temporaries)
            throws IOException {
        Map<StorePath, PathInfo> infos = new HashMap<>();
        for (StorePath p : store.validPaths()) {
            store.info(p).ifPresent(i -> infos.put(p, i));
        }
        List<Path> dangling = new ArrayList<>();
        Set<StorePath> roots = findRoots(dangling);
        for (StorePath p : pinned) {
            if (!infos.containsKey(p)) {
                throw new StoreException(ErrorCode.NOT_VALID, p.absolute(), "cannot pin a path that is not valid");
            }
            roots.add(p);
        }
        Set<StorePath> live = reachable(roots, infos);
        TreeSet<StorePath> deadSet = new TreeSet<>(infos.keySet());
        deadSet.removeAll(live);
        List<StorePath> dead = new ArrayList<>(Closures.topoSort(deadSet, p -> infos.get(p).references()));
        java.util.Collections.reverse(dead); // referrers first: a crash never leaves a valid path with a missing reference
        long bytes = dead.stream().mapToLong(p -> infos.get(p).narSize()).sum();
        List<String> leftovers = leftovers(infos.keySet());
        Result result = new Result(roots, live.size(), List.copyOf(dead), bytes, leftovers, List.copyOf(dangling), dryRun);
        if (dryRun) {
            return result;
        }
        for (StorePath p : dead) {
            Files.deleteIfExists(store.infoFile(p));
        }
        for (String name : leftovers) {
            Files.deleteIfExists(store.infoDir().resolve(name + ".narinfo"));
        }
        FsUtil.fsyncDirectory(store.infoDir()); // every dead path is now durably invalid
        List<String> names = new ArrayList<>(leftovers);
        dead.forEach(p -> names.add(p.baseName()));
        for (String name : names) {
            Path content = store.storePhysical().resolve(name);
            if (Files.exists(content, LinkOption.NOFOLLOW_LINKS)) {
                Path temp = TempNames.allocate(store.storePhysical());
                Files.move(content, temp, StandardCopyOption.ATOMIC_MOVE);
                temporaries.add(temp);
            }
        }
        FsUtil.fsyncDirectory(store.storePhysical());
        Path auto = autoRootsDir(store.physicalRoot());
        for (Path link : dangling) {
            if (link.getParent().equals(auto)) {
                Files.deleteIfExists(link);
            }
        }
        return result;
    }

    private static Set<StorePath> reachable(Set<StorePath> roots, Map<StorePath, PathInfo> infos) {
        Set<StorePath> seen = new TreeSet<>();
        List<StorePath> todo = new ArrayList<>(roots);
        while (!todo.isEmpty()) {
            StorePath p = todo.removeLast();
            PathInfo info = infos.get(p);
            if (info != null && seen.add(p)) {
                todo.addAll(info.references());
            }
        }
        return seen;
    }

    /**
     * Base names in the store directory or the metadata directory that are not valid paths: content
     * without metadata, or metadata without content. Temporaries (dot names) are not counted.
     */
    private List<String> leftovers(Set<StorePath> valid) throws IOException {
        Set<String> validNames = new TreeSet<>();
        valid.forEach(p -> validNames.add(p.baseName()));
        Set<String> out = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(store.storePhysical())) {
            for (Path e : entries) {
                String name = e.getFileName().toString();
                if (!name.startsWith(".") && !validNames.contains(name)) {
                    out.add(name);
                }
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(store.infoDir(), "*.narinfo")) {
            for (Path e : entries) {
                String file = e.getFileName().toString();
                String name = file.substring(0, file.length() - ".narinfo".length());
                if (!name.startsWith(".") && !validNames.contains(name)) {
                    out.add(name);
                }
            }
        }
        return List.copyOf(out);
    }

    /** Where a root link leads: a store path (valid or not), or somewhere else that exists or not. */
    private record Target(StorePath storePath, boolean exists) {
    }

    /**
     * Follows a root link: absolute targets are logical (under the physical root), relative ones
     * relative to the link. A target inside a store path (a file in it) roots that path.
     */
    private Target resolve(Path link) {
        Path root = store.physicalRoot();
        Path current = link;
        for (int hop = 0; hop < MAX_LINK_HOPS; hop++) {
            StorePath inStore = storePathAt(current);
            if (inStore != null) {
                return new Target(inStore, true);
            }
            if (!Files.isSymbolicLink(current)) {
                return new Target(null, Files.exists(current, LinkOption.NOFOLLOW_LINKS));
            }
            Path target;
            try {
                target = Files.readSymbolicLink(current);
            } catch (IOException e) {
                return new Target(null, false); // replaced meanwhile
            }
            Path next = target.isAbsolute()
                    ? root.resolve(target.toString().substring(1)).normalize()
                    : current.getParent().resolve(target).normalize();
            if (!next.startsWith(root)) {
                return new Target(null, true); // leaves the root: not ours to judge
            }
            current = next;
        }
        return new Target(null, false); // a loop
    }

    /** The store path that physical {@code p} is, or lies inside, if any. */
    private StorePath storePathAt(Path p) {
        Path dir = store.storePhysical();
        if (!p.startsWith(dir) || p.getNameCount() <= dir.getNameCount()) {
            return null;
        }
        try {
            return StorePath.fromBaseName(store.storeDir(), p.getName(dir.getNameCount()).toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
