package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs the Nix 2.8 language corpus ({@code <repo>/../shared/conformance/nix-lang}) in-process.
 * Ratchet: every test listed in conformance-passing.txt must keep passing; newly passing tests
 * are reported so they can be added to the list.
 */
class ConformanceTest {

    static Path corpusDir() {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path repo = Files.exists(module.resolve("evaluator")) ? module : module.getParent();
        return repo.resolveSibling("shared").resolve("conformance").resolve("nix-lang");
    }

    @Test
    void corpusRatchet() throws IOException {
        Path corpus = corpusDir();
        assumeTrue(Files.isDirectory(corpus.resolve("lang")), "Nix language corpus not found at " + corpus + "; skipping");
        Map<String, CorpusRunner.Result> results = new CorpusRunner(corpus).runAll(null);
        Set<String> listed = new TreeSet<>(Files.readAllLines(Path.of("src/test/resources/conformance-passing.txt")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toSet()));
        long passed = results.values().stream().filter(CorpusRunner.Result::passed).count();
        System.out.printf("Nix 2.8 conformance: %d passed, %d failed%n", passed, results.size() - passed);
        List<String> regressions = new ArrayList<>();
        for (CorpusRunner.Result r : results.values()) {
            if (!r.passed()) System.out.println("  FAIL " + r.name() + ": " + r.detail());
            if (r.passed() && !listed.contains(r.name())) System.out.println("  newly passing (add to conformance-passing.txt): " + r.name());
            if (!r.passed() && listed.contains(r.name())) regressions.add(r.name() + ": " + r.detail());
        }
        for (String name : listed) {
            if (!results.containsKey(name)) regressions.add(name + ": listed but not found in the corpus");
        }
        assertTrue(regressions.isEmpty(), "conformance regressions:\n" + String.join("\n", regressions));
    }
}
