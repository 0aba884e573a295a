package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flotilla.eval.Instantiate.Output;
import dev.flotilla.eval.Instantiate.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests: each {@code golden/X.nix} is evaluated like {@code nix-instantiate --eval --strict}
 * (store dir /nix/store, so derivation paths match real Nix) and compared with {@code X.exp};
 * the golden directory's absolute path is shown as /pwd.
 */
class GoldenTest {
    static final Path DIR = Path.of("src/test/resources/golden").toAbsolutePath();

    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".nix")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesExpectedOutput(String file) throws IOException {
        EvalOptions options = new EvalOptions("/nix/store", List.of(), Map.<String, String>of()::get, "x86_64-linux",
                "/home/test", CorpusRunner.nullStream());
        Request r = new Request(file, null, null, false, true, true, Output.TEXT, false, null, null, DIR);
        String out = Instantiate.run(new Evaluator(options), r).replace(DIR.toString(), "/pwd");
        String expected = Files.readString(DIR.resolve(file.replaceAll("\\.nix$", ".exp")), StandardCharsets.ISO_8859_1);
        assertEquals(expected, out);
    }
}
