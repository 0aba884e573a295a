package dev.flotilla.eval.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code fetchGit} through the {@code git} command: a repository is fetched into a bare cache
 * repository and the wanted revision exported with {@code git archive}; a local working tree with
 * uncommitted changes is taken as it is on disk (its tracked files only), as Nix does, with the
 * all-zero revision.
 */
public final class GitFetcher {
    public static final String DIRTY_REV = "0".repeat(40);

    /** A fetched tree: its files under {@code root}, and what Nix reports about it. */
    public record Tree(Path root, String rev, long revCount, long lastModified, boolean dirty) {
        public String shortRev() {
            return rev.substring(0, 7);
        }

        public String lastModifiedDate() {
            return DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC)
                    .format(Instant.ofEpochSecond(lastModified));
        }
    }

    private final Path cacheDir;

    public GitFetcher(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /**
     * @param url a URL git understands, or a local path
     * @param ref the branch or tag to fetch, or null for the repository's HEAD
     * @param rev the commit to take, or null for the tip of {@code ref}
     */
    public Tree fetch(String url, String ref, String rev) throws IOException {
        Path local = localRepository(url);
        if (local != null && ref == null && rev == null && isDirty(local)) {
            return workingTree(local);
        }
        Files.createDirectories(cacheDir);
        Path bare = cacheDir.resolve(Downloads.key(url) + ".git");
        if (!Files.isDirectory(bare)) {
            Path tmp = Files.createTempDirectory(cacheDir, ".git-");
            git(null, "init", "--quiet", "--bare", tmp.toString());
            try {
                Files.move(tmp, bare, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                Archives.deleteTree(tmp);
            }
        }
        String source = local != null ? local.toString() : url;
        String wanted;
        if (rev != null) {
            if (!rev.matches("[0-9a-f]{40}")) throw new IOException("invalid Git revision '" + rev + "'");
            if (!hasCommit(bare, rev)) git(bare, "fetch", "--quiet", "--force", source, ref != null ? ref : "HEAD");
            if (!hasCommit(bare, rev)) {
                // The revision may be on another branch than the one named: fetch them all once.
                git(bare, "fetch", "--quiet", "--force", source, "+refs/heads/*:refs/remotes/origin/*");
            }
            if (!hasCommit(bare, rev)) throw new IOException("revision " + rev + " not found in '" + url + "'");
            wanted = rev;
        } else {
            git(bare, "fetch", "--quiet", "--force", source, ref != null ? ref : "HEAD");
            wanted = git(bare, "rev-parse", "FETCH_HEAD").trim();
        }
        Path tree = cacheDir.resolve(Downloads.key(url) + "." + wanted + ".tree");
        if (!Files.isDirectory(tree)) {
            Path tmp = Files.createTempDirectory(cacheDir, ".tree-");
            try {
                Process archive = start(bare, "archive", "--format=tar", wanted);
                try (InputStream tar = archive.getInputStream()) {
                    Archives.unpack(tar, tmp.resolve("root"), url);
                }
                finish(archive, "archive");
                Files.move(tmp, tree, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(tree)) throw e;
            } finally {
                Archives.deleteTree(tmp);
            }
        }
        long count = Long.parseLong(git(bare, "rev-list", "--count", wanted).trim());
        long modified = Long.parseLong(git(bare, "log", "-1", "--format=%ct", wanted).trim());
        return new Tree(tree.resolve("root"), wanted, count, modified, false);
    }

    private static Path localRepository(String url) {
        String path = url.startsWith("file://") ? url.substring("file://".length()) : url.startsWith("/") ? url : null;
        if (path == null) return null;
        Path p = Path.of(path);
        return Files.exists(p.resolve(".git"), LinkOption.NOFOLLOW_LINKS) ? p : null;
    }

    private static boolean isDirty(Path repo) throws IOException {
        return !git(repo, "status", "--porcelain", "--untracked-files=no").isBlank();
    }

    /** The tracked files of a working tree, as they are on disk, copied into the cache. */
    private Tree workingTree(Path repo) throws IOException {
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempDirectory(cacheDir, ".worktree-");
        Path root = tmp.resolve("root");
        Files.createDirectories(root);
        for (String file : git(repo, "ls-files", "-z").split("\0")) {
            if (file.isEmpty()) continue;
            Path from = repo.resolve(file);
            if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) continue; // deleted but not yet committed
            Path to = root.resolve(file);
            Files.createDirectories(to.getParent());
            Files.copy(from, to, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
        }
        String head = git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").trim();
        long modified = head.isEmpty() ? 0 : Long.parseLong(git(repo, "log", "-1", "--format=%ct", "HEAD").trim());
        return new Tree(root, DIRTY_REV, 0, modified, true);
    }

    private static boolean hasCommit(Path bare, String rev) {
        try {
            git(bare, "cat-file", "-e", rev + "^{commit}");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String git(Path dir, String... args) throws IOException {
        Process p = start(dir, args);
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        finish(p, args[0]);
        return new String(out, StandardCharsets.UTF_8);
    }

    private static Process start(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git"));
        if (dir != null) command.addAll(List.of("-C", dir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // No prompts for credentials: a fetch that needs them fails instead of hanging the evaluation.
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        try {
            return pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run git (is it installed?): " + e.getMessage());
        }
    }

    private static void finish(Process p, String what) throws IOException {
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("git " + what + " took longer than 10 minutes");
            }
            if (p.exitValue() != 0) {
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                throw new IOException("git " + what + " failed: " + err);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running git " + what);
        }
    }
}
