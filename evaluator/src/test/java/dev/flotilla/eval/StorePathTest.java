package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code builtins.path}, {@code filterSource} and interpolated paths: the store paths of the
 * spec's vectors (nix-store-formats.md §3.4, fixture of §0.2), and the {@link SourceStore} hook.
 */
class StorePathTest {
    @TempDir
    static Path fx;

    @BeforeAll
    static void fixture() throws IOException {
        Files.writeString(fx.resolve("hello.txt"), "hello\n");
        Path tree = Files.createDirectories(fx.resolve("tree/sub"));
        Files.writeString(fx.resolve("tree/B"), "B\n");
        Files.writeString(fx.resolve("tree/a"), "a\n");
        Files.writeString(fx.resolve("tree/a.txt"), "a.txt\n");
        Files.writeString(fx.resolve("tree/a-b"), "dash\n");
        Files.writeString(tree.resolve("x"), "x");
        Files.setPosixFilePermissions(tree.resolve("x"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(tree.resolve("l"), Path.of("../a"));
        Files.createDirectories(fx.resolve("fodrdir"));
        Files.writeString(fx.resolve("fodrdir/hello.txt"), "hello\n");
    }

    private static String eval(String expr, SourceStore hook) {
        EvalOptions o = new EvalOptions("/nix/store", List.of(), Map.<String, String>of()::get, "x86_64-linux", "/home/test",
                CorpusRunner.nullStream(), hook);
        return Boundary.onBigStack(() -> {
            Value v = new Evaluator(o).evalString(expr, fx);
            Deep.force(v);
            return dev.flotilla.eval.print.ValuePrinter.print(v, true);
        });
    }

    private static String eval(String expr) {
        return eval(expr, null);
    }

    @Test
    void sourcePathsEqualNix() {
        assertEquals("\"/nix/store/sgczb48iw0nq4a3jlzh1ywdnic1x7z2q-tree\"", eval("builtins.path { path = ./tree; }"));
        assertEquals("\"/nix/store/mfbbsqw70gyiy9bbhf5v3llzagf27p2w-mytree\"", eval("builtins.path { path = ./tree; name = \"mytree\"; }"));
        assertEquals("\"/nix/store/i9pmrzmpshapij2kin22pff6fc2adavx-hello.txt\"", eval("builtins.path { path = ./hello.txt; }"));
        assertEquals("\"/nix/store/i9pmrzmpshapij2kin22pff6fc2adavx-hello.txt\"", eval("\"${./hello.txt}\""));
        assertEquals("\"/nix/store/ynlqjzav5x3rszk4kaa6dbad13b5cdpx-fodr\"", eval("builtins.path { path = ./fodrdir; name = \"fodr\"; }"));
    }

    @Test
    void flatAndFilteredPathsEqualNix() {
        assertEquals("\"/nix/store/gy454w1cxaq731grqwylhzf4pp9r5izh-hello.txt\"",
                eval("builtins.path { path = ./hello.txt; recursive = false; }"));
        assertEquals("\"/nix/store/bza7idfvpg4c3m3a069bcmyvki2190rm-filtered\"",
                eval("builtins.path { path = ./tree; name = \"filtered\"; filter = p: t: baseNameOf p != \"sub\"; }"));
        // checked against nix-instantiate 2.8
        assertEquals("\"/nix/store/3f5dyq6jijcxznz8zd9xrpqbshsqiih2-tree\"", eval("builtins.filterSource (p: t: t != \"symlink\") ./tree"));
        assertEquals("\"/nix/store/f7rdyaajh9slybk74lm1mvwsk8s27zwq-tree\"", eval("builtins.filterSource (p: t: t == \"directory\") ./tree"));
    }

    @Test
    void theFilterSeesEveryEntryInNarOrder() {
        var bytes = new java.io.ByteArrayOutputStream();
        EvalOptions o = new EvalOptions("/nix/store", List.of(), null, "x86_64-linux", "/home/test", new java.io.PrintStream(bytes));
        Boundary.onBigStack(() -> Deep.force(new Evaluator(o).evalString(
                "builtins.filterSource (p: t: builtins.trace \"${baseNameOf p}:${t}\" true) ./tree", fx)));
        // the order nix-instantiate 2.8 calls it in
        assertEquals("trace: B:regular\ntrace: a:regular\ntrace: a-b:regular\ntrace: a.txt:regular\ntrace: sub:directory\n"
                + "trace: l:symlink\ntrace: x:regular\n", bytes.toString());
    }

    @Test
    void theHookReceivesWhatIsAddedOnceWithTheFiltersDecisions() {
        List<String> added = new ArrayList<>();
        List<Predicate<Path>> filters = new ArrayList<>();
        SourceStore hook = new SourceStore() {
            public String addPath(Path file, String name, boolean recursive, Predicate<Path> filter, String storePath) {
                added.add(fx.relativize(file) + " " + name + " " + recursive + " " + storePath);
                filters.add(filter);
                return storePath;
            }

            public void addText(String storePath, String name, String contents, java.util.SortedSet<String> refs) {
                added.add("text " + name + " " + refs);
            }
        };
        eval("[ \"${./hello.txt}\" \"${./hello.txt}\" (builtins.filterSource (p: t: baseNameOf p != \"sub\") ./tree)"
                + " (builtins.toFile \"t\" \"${./hello.txt}\") ]", hook);
        assertEquals(List.of(
                "hello.txt hello.txt true /nix/store/i9pmrzmpshapij2kin22pff6fc2adavx-hello.txt",
                "tree tree true " + eval("builtins.filterSource (p: t: baseNameOf p != \"sub\") ./tree").replace("\"", ""),
                "text t [/nix/store/i9pmrzmpshapij2kin22pff6fc2adavx-hello.txt]"), added);
        Predicate<Path> treeFilter = filters.get(1);
        assertTrue(treeFilter.test(fx.resolve("tree/a")));
        assertFalse(treeFilter.test(fx.resolve("tree/sub")));
        assertFalse(treeFilter.test(fx.resolve("tree/sub/x")));
    }

    @Test
    void aStoreThatDisagreesIsAnError() {
        EvalException e = org.junit.jupiter.api.Assertions.assertThrows(EvalException.class,
                () -> eval("\"${./hello.txt}\"", (f, n, r, filter, sp) -> "/nix/store/00000000000000000000000000000000-x"));
        assertTrue(e.getMessage().contains("the store added"), e.getMessage());
    }

    @Test
    void errorsLikeNix() {
        assertEquals("unsupported argument 'foo' to 'addPath'", TestSupport.error("builtins.path { path = /tmp; foo = 1; }").bareMessage());
        assertEquals("'path' required", TestSupport.error("builtins.path { name = \"x\"; }").bareMessage());
        assertTrue(TestSupport.error("builtins.path { path = " + fx.resolve("hello.txt") + "; name = \"a b\"; }").bareMessage()
                .matches("store path '[0-9a-z]{32}-a b' contains illegal character ' '"));
        String bad = "builtins.path { path = " + fx.resolve("hello.txt") + "; sha256 = \"" + "0".repeat(52) + "\"; }";
        assertEquals("store path mismatch in (possibly filtered) path added from '" + fx.resolve("hello.txt") + "'",
                TestSupport.error(bad).bareMessage());
        String good = "builtins.path { path = " + fx.resolve("hello.txt") + "; sha256 = \"04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw\"; }";
        assertEquals("\"/nix/store/i9pmrzmpshapij2kin22pff6fc2adavx-hello.txt\"", TestSupport.eval(good));
    }
}
