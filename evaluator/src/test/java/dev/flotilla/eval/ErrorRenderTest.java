package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

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
 * Errors as nix-instantiate 2.8 prints them: each {@code errors/X.nix} fails under
 * {@code --eval --strict}, and its stderr must be {@code X.err} (and {@code X.trace.err} with
 * {@code --show-trace}), both recorded from Nix 2.8 with the folder's path shown as /pwd. They pin
 * the layout (position, lines of code, caret, suggestions, frames, the --show-trace hint) and
 * which errors Nix reports where, or without a position at all.
 */
class ErrorRenderTest {
    static final Path DIR = Path.of("src/test/resources/errors").toAbsolutePath();

    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".nix")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersAsNix(String file) throws IOException {
        EvalException e = failure(file);
        String stem = file.replaceAll("\\.nix$", "");
        assertEquals(expected(stem + ".err"), rendered(e, false));
        assertEquals(expected(stem + ".trace.err"), rendered(e, true));
    }

    private static EvalException failure(String file) {
        EvalOptions options = new EvalOptions("/nix/store", List.of(), Map.<String, String>of()::get, "x86_64-linux",
                "/home/test", CorpusRunner.nullStream());
        Request r = new Request(file, null, null, false, true, true, Output.TEXT, false, null, null, DIR);
        try {
            String out = Instantiate.run(new Evaluator(options), r);
            return fail(file + " evaluated to " + out);
        } catch (EvalException e) {
            return e;
        }
    }

    private static String rendered(EvalException e, boolean showTrace) {
        return e.render(showTrace).replace(DIR.toString(), "/pwd");
    }

    private static String expected(String name) throws IOException {
        return Files.readString(DIR.resolve(name), StandardCharsets.ISO_8859_1);
    }
}
