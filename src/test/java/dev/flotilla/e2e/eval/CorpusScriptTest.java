package dev.flotilla.e2e.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Nix 2.8 language corpus through its own driver script, {@code run-corpus.sh}, with
 * {@code flotilla eval} as a separate process per test: what the evaluator's in-process ratchet
 * checks, but through the command line's argument parsing, output bytes and exit codes.
 */
class CorpusScriptTest {

    @TempDir
    Path tmp;

    @Test
    void theWholeCorpusPassesThroughFlotillaEval() throws Exception {
        Path corpus = repo().resolveSibling("shared").resolve("conformance").resolve("nix-lang");
        Path script = corpus.resolve("run-corpus.sh");
        assumeTrue(Files.isRegularFile(script), "Nix language corpus not found at " + corpus + "; skipping");

        // The command the ./flotilla launcher execs, with this test's classpath (the reactor's jars).
        Path eval = tmp.resolve("flotilla-eval");
        String java = ProcessHandle.current().info().command().orElse("java");
        Files.writeString(eval, "#!/bin/sh\nexec '" + java + "' --enable-native-access=ALL-UNNAMED -Xss64m -XX:+UseSerialGC"
                + " -XX:TieredStopAtLevel=1 -Xshare:auto -cp '" + System.getProperty("java.class.path")
                + "' dev.flotilla.cli.Main eval \"$@\"\n");
        Files.setPosixFilePermissions(eval, PosixFilePermissions.fromString("rwxr-xr-x"));

        Path log = tmp.resolve("corpus.log");
        Process p = new ProcessBuilder("bash", script.toString(), corpus.toString(), "--", eval.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "run-corpus.sh did not finish in 15 minutes");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals("137 passed, 0 failed", last, output);
        assertEquals(0, p.exitValue(), output);
    }

    private static Path repo() throws IOException {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path dir = module;
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) dir = dir.getParent();
        if (dir == null) throw new IOException("no repository above " + module);
        return dir;
    }
}
