package dev.flotilla.cli.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code flotilla store ...} run in-process, output captured; vectors from the spec (§1.6, §3.4). */
class StoreCommandTest {
    @TempDir
    Path tmp;
    Path root;
    Path fixtures;

    /** One run: exit status, text output, error output, binary output. */
    record Run(int status, String out, String err, byte[] binary) {
    }

    Run run(String... args) {
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new StoreCommand(binary));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString(), binary.toByteArray());
    }

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("root");
        fixtures = Files.createDirectories(tmp.resolve("fixtures"));
        file(fixtures.resolve("hello.txt"), "hello\n", "rw-r--r--");
        Path tree = Files.createDirectories(fixtures.resolve("tree/sub"));
        file(tree.resolve("../B"), "B\n", "rw-r--r--");
        file(tree.resolve("../a"), "a\n", "rw-r--r--");
        file(tree.resolve("../a.txt"), "a.txt\n", "rw-r--r--");
        file(tree.resolve("../a-b"), "dash\n", "rw-r--r--");
        file(tree.resolve("x"), "x", "rwxr-xr-x");
        Files.createSymbolicLink(tree.resolve("l"), Path.of("../a"));
    }

    static void file(Path p, String content, String perms) throws IOException {
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    @Test
    void narIsNixStoreDump() throws Exception {
        Run r = run("nar", fixtures.resolve("hello.txt").toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(120, r.binary().length);
        assertEquals("1c37d01af40be2e80691de3cc3df44377a699afbb17c68f080964b2fd071fc13", sha256(r.binary()));
        Run tree = run("nar", fixtures.resolve("tree").toString());
        assertEquals("534ecc8e3c92ed2084f65a43549bdcfd2a0f0b5e33c69e13dcbc967d1395e49b", sha256(tree.binary()));
        assertEquals(StoreCommand.INVALID_INPUT, run("nar", tmp.resolve("missing").toString()).status());
    }

    @Test
    void addPrintsThePathsNixStoreAddPrints() {
        Run r = run("add", "--store-dir", "/nix/store", "--root", root.toString(),
                fixtures.resolve("tree").toString(), fixtures.resolve("hello.txt").toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("/nix/store/sgczb48iw0nq4a3jlzh1ywdnic1x7z2q-tree\n"
                + "/nix/store/i9pmrzmpshapij2kin22pff6fc2adavx-hello.txt\n", r.out());
        assertTrue(Files.isDirectory(root.resolve("nix/store/sgczb48iw0nq4a3jlzh1ywdnic1x7z2q-tree/sub")));
        Run again = run("add", "--store-dir", "/nix/store", "--root", root.toString(), fixtures.resolve("tree").toString());
        assertEquals("/nix/store/sgczb48iw0nq4a3jlzh1ywdnic1x7z2q-tree\n", again.out());
    }

    @Test
    void addRefusesBadInput() {
        assertEquals(StoreCommand.INVALID_INPUT, run("add", "--root", root.toString(), tmp.resolve("nope").toString()).status());
        assertEquals(StoreCommand.INVALID_INPUT, run("add", "--store-dir", "relative", "--root", root.toString(),
                fixtures.resolve("hello.txt").toString()).status());
        assertEquals(StoreCommand.INVALID_INPUT, run("add", "--root", root.toString()).status(), "PATH is required");
        assertEquals(StoreCommand.INVALID_INPUT, run("add", "--bogus").status());
    }

    @Test
    void infoPrintsTheNarinfo() {
        String path = run("add", "--store-dir", "/nix/store", "--root", root.toString(),
                fixtures.resolve("hello.txt").toString()).out().strip();
        Run r = run("info", "--store-dir", "/nix/store", "--root", root.toString(), path);
        assertEquals(0, r.status(), r.err());
        assertEquals("StorePath: /nix/store/i9pmrzmpshapij2kin22pff6fc2adavx-hello.txt\n"
                + "URL: nar/04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw.nar\n"
                + "Compression: none\n"
                + "FileHash: sha256:04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw\n"
                + "FileSize: 120\n"
                + "NarHash: sha256:04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw\n"
                + "NarSize: 120\n"
                + "References: \n", r.out());
        Run byBase = run("info", "--store-dir", "/nix/store", "--root", root.toString(),
                "i9pmrzmpshapij2kin22pff6fc2adavx-hello.txt");
        assertEquals(r.out(), byBase.out());
        Run missing = run("info", "--store-dir", "/nix/store", "--root", root.toString(),
                "/nix/store/00000000000000000000000000000000-absent");
        assertEquals(StoreCommand.PROBLEMS, missing.status());
        assertTrue(missing.err().startsWith("error: "), missing.err());
        assertEquals(StoreCommand.INVALID_INPUT, run("info", "--root", root.toString(), "/etc/passwd").status());
        assertEquals(StoreCommand.INVALID_INPUT, run("info", "--root", root.toString(), "not-a-path").status());
    }

    @Test
    void verifyFindsTampering() throws IOException {
        run("add", "--root", root.toString(), fixtures.resolve("tree").toString());
        Run ok = run("verify", "--root", root.toString());
        assertEquals(0, ok.status(), ok.err());
        assertEquals("", ok.out());
        assertTrue(ok.err().contains("1 path(s) checked, 0 problem(s)"), ok.err());
        Path store = root.resolve("flotilla/store");
        Path a;
        try (var l = Files.list(store)) {
            a = l.filter(p -> p.getFileName().toString().endsWith("-tree")).findFirst().orElseThrow().resolve("a");
        }
        Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(a, "b\n");
        Run bad = run("verify", "--root", root.toString());
        assertEquals(StoreCommand.PROBLEMS, bad.status());
        assertTrue(bad.out().contains("-tree: content has hash"), bad.out());
    }

    @Test
    void gcListsThenDeletesWhatNoRootReaches() throws IOException {
        String tree = run("add", "--root", root.toString(), fixtures.resolve("tree").toString()).out().strip();
        String hello = run("add", "--root", root.toString(), fixtures.resolve("hello.txt").toString()).out().strip();
        Path profiles = Files.createDirectories(root.resolve("flotilla/var/profiles"));
        Files.createSymbolicLink(profiles.resolve("system-1-link"), Path.of(tree));
        Run dry = run("gc", "--dry-run", "--root", root.toString());
        assertEquals(0, dry.status(), dry.err());
        assertEquals(hello + "\n", dry.out());
        assertTrue(dry.err().contains("would delete 1 path(s)"), dry.err());
        assertEquals(0, run("info", "--root", root.toString(), hello).status());
        Run pinned = run("gc", "--root", root.toString(), "--pin", hello);
        assertEquals("", pinned.out());
        Run gc = run("gc", "--root", root.toString());
        assertEquals(hello + "\n", gc.out());
        assertEquals(StoreCommand.PROBLEMS, run("info", "--root", root.toString(), hello).status());
        assertEquals(0, run("info", "--root", root.toString(), tree).status());
        assertEquals(0, run("verify", "--root", root.toString()).status());
    }

    @Test
    void helpShowsExamplesAndHidesCopy() {
        Run r = run("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("Examples:"), r.out());
        assertTrue(r.out().contains("gc"), r.out());
        assertFalse(r.out().contains("copy"), r.out());
        for (String sub : new String[] {"nar", "add", "info", "verify", "gc"}) {
            Run h = run(sub, "--help");
            assertEquals(0, h.status());
            assertTrue(h.out().contains("Example"), sub + ": " + h.out());
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
