package dev.flotilla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EvalArgsTest {

    /** Lines the fast path reads: picocli must read each one to the same fields. */
    private static final List<List<String>> PLAIN = List.of(
            List.of(),
            List.of("--eval", "-E", "1 + 2"),
            List.of("--eval-only", "--strict", "--json", "-E", "{ a = 1; }", "[ 2 ]"),
            List.of("--eval", "--strict", "--xml", "--no-location", "file.nix"),
            List.of("--parse", "-"),
            List.of("--expr", "--eval", "-I", "nixpkgs=/src/nixpkgs", "-I", "/extra", "<nixpkgs>"),
            List.of("--eval", "--arg", "hosts", "40", "--argstr", "env", "prod", "-A", "a.b", "--attr", "c", "f.nix"),
            List.of("--eval", "--show-trace", "--store-dir", "/nix/store", "--read-write-mode", "-E", "x"),
            List.of("--readonly-mode", "--timeout", "10", "--option", "max-jobs", "1", "--eval", "-E", "1"),
            List.of("a.nix", "b.nix"),
            List.of("--extra-experimental-features", "nix-command flakes", "--experimental-features", "toml", "--eval", "-E", "1"));

    @Test
    void readsPlainLinesAsPicocliDoes() {
        for (List<String> line : PLAIN) {
            Optional<EvalCommand> fast = EvalArgs.parse(line.toArray(String[]::new));
            assertTrue(fast.isPresent(), "the fast path should read " + line);
            EvalCommand viaPicocli = new EvalCommand();
            new CommandLine(viaPicocli).parseArgs(line.toArray(String[]::new));
            assertEquals(fields(viaPicocli), fields(fast.get()), "read differently: " + line);
        }
    }

    @Test
    void leavesEverythingElseToPicocli() {
        List<List<String>> others = List.of(
                List.of("--help"),
                List.of("--version"),
                List.of("--fleet", "examples/web-fleet", "--host", "web-1"),
                List.of("--eval", "--unknown"),
                List.of("--eval", "--eval", "-E", "1"),          // picocli: given twice
                List.of("--arg", "x"),                           // a value missing
                List.of("--arg", "x", "-1", "f.nix"),            // a value that looks like an option
                List.of("-E", "--", "-1"),
                List.of("--store-dir=/nix/store", "-E", "1"),
                List.of("--store-dir", "/a", "--store-dir", "/b"),
                List.of("-Inixpkgs=/src"));
        for (List<String> line : others) {
            assertTrue(EvalArgs.parse(line.toArray(String[]::new)).isEmpty(), "picocli should read " + line);
        }
    }

    @Test
    void anEvalLineRunsWithoutLoadingPicocli() throws Exception {
        // What the fast path is for: the JVM never reads picocli's classes for a plain `flotilla eval`.
        List<String> cmd = List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "eval", "--eval", "--strict", "-E", "{ a = 1 + 2; }");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("{ a = 3; }"), out);
        assertTrue(!out.contains("picocli."), "picocli was loaded:\n" + out.lines().filter(l -> l.contains("picocli.")).limit(5).toList());
    }

    private static List<Object> fields(EvalCommand c) {
        return List.of(c.eval, c.storeMode, String.valueOf(c.timeout), c.nixOptions, c.strict, c.xml, c.json, c.noLocation, c.parse,
                c.expressions, c.includes, c.args, c.argstrs, c.attrPaths, c.showTrace, c.storeDir, String.valueOf(c.fleet),
                String.valueOf(c.host), c.files, c.experimentalFeatures);
    }
}
