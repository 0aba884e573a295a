package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.eval.Instantiate.Output;
import dev.flotilla.eval.Instantiate.Request;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code --parse}: the syntax tree printed as Nix 2.8 prints it (vectors recorded from real Nix). */
class ParsePrintTest {

    static Stream<Arguments> nixVectors() throws IOException {
        try (InputStream in = ParsePrintTest.class.getResourceAsStream("/parse/nix-2.8-parse.tsv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("\t", 2))
                    .map(p -> Arguments.of(p[0].replace("<NL>", "\n"), p[1]))
                    .toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("nixVectors")
    void printsTheTreeAsNixDoes(String expr, String expected) {
        assertEquals(expected + "\n", parse(expr));
    }

    @Test
    void anInterpolatedStringLiteralIsADynamicAttributeSoRecDoesNotBindIt() {
        // Nix keeps "${"a"}" dynamic: it is not in the rec set's scope, and a let refuses it.
        EvalException e = TestSupport.error("rec { \"${\"a\"}\" = 1; b = a; }.b");
        assertTrue(e.getMessage().contains("undefined variable 'a'"), e.getMessage());
        assertEquals("1", TestSupport.eval("rec { ${\"a\"} = 1; b = a; }.b"));
        assertEquals("{ a = 1; }", TestSupport.eval("{ \"${\"a\"}\" = 1; }"));
    }

    @Test
    void aFailedAssertionQuotesItsConditionAsNixDoes() {
        // nix-instantiate 2.8: error: assertion '((x == 2) && true)' failed
        EvalException e = TestSupport.error("let x = 1; in assert x == 2 && true; 3");
        assertTrue(e.getMessage().contains("assertion '((x == 2) && true)' failed"), e.getMessage());
    }

    @Test
    void aSyntaxErrorIsStillAPositionedError() {
        EvalException e = assertThrows(EvalException.class, () -> parse("{ a = ; }"));
        assertEquals(1, e.pos().line());
        assertEquals(7, e.pos().column());
    }

    private static String parse(String expr) {
        Request r = new Request(null, expr, null, true, false, false, Output.TEXT, true, List.of(), Map.of(), Path.of("/tmp"));
        return Instantiate.run(TestSupport.evaluator(), r);
    }
}
