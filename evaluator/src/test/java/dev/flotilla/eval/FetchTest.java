package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.eval.print.ValuePrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fetchurl and fetchTarball against a real HTTP server on loopback; store paths recorded from Nix 2.8. */
class FetchTest {
    @TempDir
    Path cache;
    @TempDir
    Path outside;

    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = files.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void fetchurlAddsTheFileAsNixDoes() {
        files.put("/hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("\"/nix/store/gy454w1cxaq731grqwylhzf4pp9r5izh-hello.txt\"", eval("builtins.fetchurl \"" + url("/hello.txt") + "\""));
        assertEquals("\"/nix/store/9ai0f5kyg5z0fb3szn6ib04v8mx098kw-greeting\"", eval("builtins.fetchurl { url = \"" + url("/hello.txt")
                + "\"; name = \"greeting\"; sha256 = \"00xyyr3fi8l6hb839bv3f7yb86yjv7xi1cgh1xnhipym4asvb4aq\"; }"));
        assertEquals("true", eval("builtins.hasContext (builtins.fetchurl \"" + url("/hello.txt") + "\")"));
    }

    @Test
    void aWrongHashNamesBothHashes() {
        files.put("/hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        EvalException e = assertThrows(EvalException.class, () -> eval("builtins.fetchurl { url = \"" + url("/hello.txt")
                + "\"; sha256 = \"0000000000000000000000000000000000000000000000000000\"; }"));
        assertTrue(e.getMessage().contains("hash mismatch in file downloaded from '" + url("/hello.txt") + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("got:       sha256:00xyyr3fi8l6hb839bv3f7yb86yjv7xi1cgh1xnhipym4asvb4aq"), e.getMessage());
    }

    @Test
    void aMissingFileIsAnErrorNamingTheUrlAndStatus() {
        EvalException e = assertThrows(EvalException.class, () -> eval("builtins.fetchurl \"" + url("/nope") + "\""));
        assertTrue(e.getMessage().contains("unable to download '" + url("/nope") + "': HTTP error 404"), e.getMessage());
        EvalException scheme = assertThrows(EvalException.class, () -> eval("builtins.fetchurl \"ftp://example.org/x\""));
        assertTrue(scheme.getMessage().contains("unsupported URL scheme"), scheme.getMessage());
    }

    @Test
    void fetchTarballUnpacksTheSingleTopFolderAsNixDoes() throws IOException {
        files.put("/pkg.tar.gz", tarGz(List.of(
                dir("pkg-1.0/"), dir("pkg-1.0/bin/"),
                file("pkg-1.0/bin/tool", "#!/bin/sh\necho hi\n", 0755),
                file("pkg-1.0/README", "hello\n", 0644),
                link("pkg-1.0/latest", "README"))));
        assertEquals("\"/nix/store/ridpr2lqi6h16ynwm0iya87cszvyc4jk-source\"", eval("fetchTarball \"" + url("/pkg.tar.gz") + "\""));
        assertEquals("\"/nix/store/np4xrgc8ky4gasjimbwfxqs6j1qgl6hj-pkg\"",
                eval("fetchTarball { url = \"" + url("/pkg.tar.gz") + "\"; name = \"pkg\"; }"));
    }

    @Test
    void aDownloadIsCachedForTheTimeToLive() {
        files.put("/hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        String first = eval("builtins.fetchurl \"" + url("/hello.txt") + "\"");
        server.stop(0);
        assertEquals(first, eval("builtins.fetchurl \"" + url("/hello.txt") + "\""));
        assertEquals(1, requests.get());
    }

    @Test
    void anArchiveCannotWriteOutsideItsFolder() throws IOException {
        files.put("/dotdot.tar.gz", tarGz(List.of(dir("top/"), file("top/../../escaped", "x", 0644))));
        EvalException dotdot = assertThrows(EvalException.class, () -> eval("fetchTarball \"" + url("/dotdot.tar.gz") + "\""));
        assertTrue(dotdot.getMessage().contains("has a member outside it"), dotdot.getMessage());

        files.put("/through-link.tar.gz", tarGz(List.of(dir("top/"), link("top/out", outside.toString()),
                file("top/out/planted", "x", 0644))));
        EvalException through = assertThrows(EvalException.class, () -> eval("fetchTarball \"" + url("/through-link.tar.gz") + "\""));
        assertTrue(through.getMessage().contains("a symbolic link is not followed"), through.getMessage());
        assertFalse(Files.exists(outside.resolve("planted")));

        files.put("/absolute.tar.gz", tarGz(List.of(file("/etc/planted", "x", 0644))));
        EvalException absolute = assertThrows(EvalException.class, () -> eval("fetchTarball \"" + url("/absolute.tar.gz") + "\""));
        assertTrue(absolute.getMessage().contains("absolute member"), absolute.getMessage());
    }

    @Test
    void twoTopLevelEntriesAreRefusedAsNixDoes() throws IOException {
        files.put("/two.tar.gz", tarGz(List.of(file("a", "1", 0644), file("b", "2", 0644))));
        EvalException e = assertThrows(EvalException.class, () -> eval("fetchTarball \"" + url("/two.tar.gz") + "\""));
        assertTrue(e.getMessage().contains("contains an unexpected number of top-level files"), e.getMessage());
    }

    @Test
    void fetchGitTakesACommitOrADirtyWorkingTreeAsNixDoes() throws Exception {
        Path repo = outside.resolve("repo");
        Files.createDirectories(repo.resolve("bin"));
        Files.writeString(repo.resolve("README"), "hello\n");
        Files.writeString(repo.resolve("bin/tool"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(repo.resolve("bin/tool"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", ".");
        git(repo, "commit", "-q", "-m", "one");
        String clean = "{ lastModified = 1577836800; lastModifiedDate = \"20200101000000\"; "
                + "narHash = \"sha256-s0ueNxKm1VRyoRuk2vmYUEdnNsSsW615ZTjZ9Bp+jZE=\"; "
                + "outPath = \"/nix/store/h5cld35nfhpaj3k61jd86ay4b7dsybvk-source\"; "
                + "rev = \"3d31925903d2dcc26c453e8785dc0dc235345546\"; revCount = 1; shortRev = \"3d31925\"; submodules = false; }";
        assertEquals(clean, eval("builtins.fetchGit " + repo));
        assertEquals(clean, eval("builtins.fetchGit { url = \"file://" + repo + "\"; ref = \"main\"; }"));

        // Uncommitted changes to tracked files are taken from disk; untracked files are not.
        Files.writeString(repo.resolve("README"), "changed\n");
        Files.writeString(repo.resolve("new.txt"), "untracked\n");
        assertEquals("{ lastModified = 1577836800; lastModifiedDate = \"20200101000000\"; "
                + "narHash = \"sha256-vXNyQ+xjkkEqhZQfiXnPDtt/9Dz4PqsDbMmD0tb9Ghg=\"; "
                + "outPath = \"/nix/store/f1k4g5i7ifibkq5ndsh60fxa19vf6rhs-source\"; "
                + "rev = \"0000000000000000000000000000000000000000\"; revCount = 0; shortRev = \"0000000\"; submodules = false; }",
                eval("builtins.fetchGit " + repo));
        // A pinned revision ignores the working tree.
        assertEquals(clean, eval("builtins.fetchGit { url = \"" + repo + "\"; rev = \"3d31925903d2dcc26c453e8785dc0dc235345546\"; }"));

        EvalException missing = assertThrows(EvalException.class,
                () -> eval("builtins.fetchGit { url = \"" + repo + "\"; rev = \"" + "1".repeat(40) + "\"; }"));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
    }

    private static void git(Path dir, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        Map<String, String> env = pb.environment();
        env.put("GIT_AUTHOR_NAME", "t");
        env.put("GIT_AUTHOR_EMAIL", "t@x");
        env.put("GIT_COMMITTER_NAME", "t");
        env.put("GIT_COMMITTER_EMAIL", "t@x");
        env.put("GIT_AUTHOR_DATE", "2020-01-01T00:00:00Z");
        env.put("GIT_COMMITTER_DATE", "2020-01-01T00:00:00Z");
        assertEquals(0, pb.start().waitFor(), String.join(" ", command));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private String eval(String src) {
        EvalOptions options = new EvalOptions("/nix/store", List.of(), Map.of("XDG_CACHE_HOME", cache.toString())::get,
                "x86_64-linux", "/homeless", CorpusRunner.nullStream());
        return Boundary.onBigStack(() -> {
            Value v = new Evaluator(options).evalString(src, Path.of("/tmp"));
            Deep.force(v);
            return Bytes.toJava(ValuePrinter.print(v, true));
        });
    }

    private record Member(TarArchiveEntry entry, byte[] data) {}

    private static Member dir(String name) {
        return new Member(new TarArchiveEntry(name), null);
    }

    private static Member file(String name, String text, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        e.setSize(data.length);
        e.setMode(mode);
        return new Member(e, data);
    }

    private static Member link(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
        e.setLinkName(target);
        return new Member(e, null);
    }

    private static byte[] tarGz(List<Member> members) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (Member m : members) {
                tar.putArchiveEntry(m.entry());
                if (m.data() != null) tar.write(m.data());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
