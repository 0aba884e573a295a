package dev.flotilla.agent.profile;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.store.Nix32;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Nix-style profile (spec §7): the symlink {@code P -> <name>-<N>-link} (relative) beside its
 * generation links {@code <name>-<N>-link -> <store path>} (absolute, logical). All links live
 * under a physical root; store paths in links are logical ({@code /flotilla/store/...}).
 */
public final class Profile {
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final Path dir;
    private final String name;
    private final Pattern generationName;

    /**
     * @param root        the physical root R
     * @param logicalDir  the profiles directory as seen on a host, e.g. {@code /flotilla/var/profiles}
     * @param name        the profile's name, e.g. {@code system}
     */
    public Profile(Path root, String logicalDir, String name) {
        this.root = root.toAbsolutePath().normalize();
        this.dir = this.root.resolve(logicalDir.replaceFirst("^/+", ""));
        this.name = name;
        this.generationName = Pattern.compile(Pattern.quote(name) + "-([0-9]+)-link");
    }

    /** The agent's system profile: {@code R/flotilla/var/profiles/system}. */
    public static Profile system(Path root) {
        return new Profile(root, "/flotilla/var/profiles", "system");
    }

    /** The physical path of the profile symlink P. */
    public Path path() {
        return dir.resolve(name);
    }

    Path linkPath(int number) {
        return dir.resolve(name + "-" + number + "-link");
    }

    /** Every generation, sorted by number. */
    public List<Generation> generations() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Generation> result = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Matcher m = generationName.matcher(entry.getFileName().toString());
                if (m.matches() && Files.isSymbolicLink(entry)) {
                    parseNumber(m.group(1)).ifPresent(n -> result.add(readGeneration(n, entry)));
                }
            }
        } catch (IOException e) {
            throw new AgentException(Kind.PROFILE, "cannot list generations in " + dir + ": " + e.getMessage(), e);
        }
        result.sort(Comparator.comparingInt(Generation::number));
        return List.copyOf(result);
    }

    /** The current generation's number: the one {@code readlink(P)} names. */
    public OptionalInt currentNumber() {
        return Symlinks.read(path())
                .map(generationName::matcher)
                .filter(Matcher::matches)
                .map(m -> parseNumber(m.group(1)))
                .orElse(OptionalInt.empty());
    }

    public Optional<Generation> current() {
        OptionalInt n = currentNumber();
        return n.isPresent() ? generation(n.getAsInt()) : Optional.empty();
    }

    public Optional<Generation> generation(int number) {
        Path link = linkPath(number);
        return Files.isSymbolicLink(link) ? Optional.of(readGeneration(number, link)) : Optional.empty();
    }

    /**
     * {@code nix-env --set}: under the lock, reuse the highest generation if it already points to
     * {@code storePath}, else create generation max+1; then switch P to it.
     */
    public Generation set(String storePath) {
        return locked(() -> {
            Generation generation = createGenerationLocked(storePath);
            switchLocked(generation.number());
            return generation;
        });
    }

    /** Spec §7.2 steps 2–4 without switching P: the generation that holds {@code storePath}. */
    public Generation createGeneration(String storePath) {
        return locked(() -> createGenerationLocked(storePath));
    }

    /** {@code --switch-generation N}. */
    public Generation switchTo(int number) {
        return locked(() -> {
            Generation target = generation(number).orElseThrow(() -> new AgentException(Kind.PROFILE,
                    "profile version " + number + " does not exist"));
            switchLocked(number);
            return target;
        });
    }

    /** {@code --rollback}: the largest generation strictly below the current one. */
    public Generation rollback() {
        return locked(() -> {
            int current = currentNumber().orElseThrow(() -> new AgentException(Kind.PROFILE,
                    "profile " + path() + " has no current generation"));
            Generation target = previousOf(current).orElseThrow(() -> new AgentException(Kind.PROFILE,
                    "no profile version older than the current (" + current + ") exists"));
            switchLocked(target.number());
            return target;
        });
    }

    /** The largest generation strictly below {@code number}. */
    public Optional<Generation> previousOf(int number) {
        return generations().stream().filter(g -> g.number() < number).reduce((a, b) -> b);
    }

    /**
     * Deletes generation {@code number}: its link and its automatic GC root. Refuses the current one
     * (as {@code nix-env --delete-generations} does).
     */
    public void delete(int number) {
        locked(() -> {
            if (currentNumber().equals(OptionalInt.of(number))) {
                throw new AgentException(Kind.PROFILE, "generation " + number + " is the current one; not deleting it");
            }
            Path link = linkPath(number);
            String logical = "/" + root.relativize(link).toString().replace('\\', '/');
            Files.deleteIfExists(root.resolve("flotilla/var/gcroots/auto").resolve(gcRootName(logical)));
            Files.deleteIfExists(link);
            return null;
        });
    }

    /** Removes P itself (used when the first generation ever fails and there is nothing to go back to). */
    public void clearCurrent() {
        locked(() -> {
            Files.deleteIfExists(path());
            return null;
        });
    }

    private Generation createGenerationLocked(String storePath) throws IOException {
        if (!storePath.startsWith("/")) {
            throw new AgentException(Kind.BAD_REQUEST, "generation target must be an absolute store path: " + storePath);
        }
        List<Generation> all = generations();
        if (!all.isEmpty() && all.getLast().storePath().equals(storePath)) {
            return all.getLast();
        }
        int number = all.isEmpty() ? 1 : all.getLast().number() + 1;
        Path link = linkPath(number);
        Symlinks.replace(link, storePath);
        registerGcRoot(link);
        return readGeneration(number, link);
    }

    /** Spec §7.3: {@code .<k>_<name> -> <name>-<N>-link}, then rename(2) onto P. */
    private void switchLocked(int number) throws IOException {
        String target = linkPath(number).getFileName().toString();
        for (int k = 0; ; k++) {
            Path tmp = dir.resolve("." + k + "_" + name);
            try {
                Files.createSymbolicLink(tmp, Path.of(target));
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            Symlinks.moveAtomically(tmp, path());
            return;
        }
    }

    /** Spec §7.2 step 4: {@code R/flotilla/var/gcroots/auto/<nix32(sha1(logical L))> -> L}. */
    private void registerGcRoot(Path link) throws IOException {
        String logical = "/" + root.relativize(link).toString().replace('\\', '/');
        Path autoDir = root.resolve("flotilla/var/gcroots/auto");
        Files.createDirectories(autoDir);
        Symlinks.replace(autoDir.resolve(gcRootName(logical)), autoDir.relativize(link).toString());
    }

    /** The gcroot name for a generation link's absolute (logical) path. */
    public static String gcRootName(String logicalLinkPath) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(logicalLinkPath.getBytes(StandardCharsets.UTF_8));
            return Nix32.encode(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Generation readGeneration(int number, Path link) {
        try {
            String target = Files.readSymbolicLink(link).toString();
            BasicFileAttributes attrs = Files.readAttributes(link, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new Generation(number, target, attrs.lastModifiedTime().toInstant());
        } catch (IOException e) {
            throw new AgentException(Kind.PROFILE, "cannot read generation link " + link + ": " + e.getMessage(), e);
        }
    }

    private static OptionalInt parseNumber(String digits) {
        try {
            int n = Integer.parseInt(digits);
            return n >= 1 ? OptionalInt.of(n) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private interface LockedAction<T> {
        T run() throws IOException;
    }

    @SuppressWarnings("try")
    private <T> T locked(LockedAction<T> action) {
        try {
            Files.createDirectories(dir);
            ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(path(), p -> new ReentrantLock());
            try (ProfileLock ignored = ProfileLock.acquire(jvmLock, dir.resolve(name + ".lock"))) {
                return action.run();
            }
        } catch (IOException e) {
            throw new AgentException(Kind.PROFILE, "profile " + path() + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new AgentException(Kind.PROFILE, "profile " + path() + ": " + e.getCause().getMessage(), e);
        }
    }
}
