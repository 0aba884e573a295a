package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Error positions and the {@code --show-trace} chain of enclosing evaluations. */
class TraceTest {

    @Test
    void traceNamesEveryEnclosingEvaluation() {
        EvalException e = TestSupport.error("""
                let
                  f = x: x.a.b;
                  s = { a = { c = 1; }; };
                in
                  { r = f s; }""");
        assertEquals("(string):2:10: attribute 'b' missing", e.getMessage());
        assertEquals(List.of(
                "while evaluating the attribute 'a.b' at (string):3:9",
                "while evaluating 'f' at (string):2:7",
                "from call site at (string):5:9",
                "while evaluating the attribute 'r' at (string):5:5"), e.trace());
    }

    @Test
    void builtinsAndAnonymousFunctionsAppearInTheTrace() {
        EvalException e = TestSupport.error("builtins.foldl' (acc: x: acc + x) 0 [ 1 \"two\" ]");
        assertTrue(e.getMessage().startsWith("(string):1:32: cannot add a string to an integer"), e.getMessage());
        assertEquals(List.of(
                "while evaluating anonymous lambda at (string):1:23",
                "from call site at (string):1:1"), e.trace());
    }

    @Test
    void namedFunctionsAreNamedInArgumentErrors() {
        EvalException e = TestSupport.error("let f = { a }: a; in f { }");
        assertEquals("(string):1:22: 'f' at (string):1:9 called without required argument 'a'", e.getMessage());
        e = TestSupport.error("({ a }: a) { a = 1; b = 2; }");
        assertEquals("(string):1:1: anonymous function at (string):1:2 called with unexpected argument 'b'", e.getMessage());
    }

    @Test
    void nestedAttributesOfAStrictResultEachGetAFrame() {
        EvalException e = TestSupport.error("{ x = 1; a = { b = [ { c = throw \"deep\"; } ]; }; }");
        assertEquals("(string):1:28: deep", e.getMessage());
        assertEquals(List.of(
                "while evaluating the attribute 'c' at (string):1:24",
                "while evaluating the attribute 'b' at (string):1:16",
                "while evaluating the attribute 'a' at (string):1:10"), e.trace());
    }

    @Test
    void renderLaysOutLikeNix() {
        // checked against nix-instantiate 2.8 (--show-trace), whose -E text shows as «string»
        EvalException e = TestSupport.error("let f = n: if n == 0 then throw \"bottom\" else f (n - 1); in f 1");
        String line = "let f = n: if n == 0 then throw \"bottom\" else f (n - 1); in f 1";
        String callF = """
                       \u2026 while evaluating 'f'

                       at \u00abstring\u00bb:1:9:

                            1| %s
                             |         ^

                       \u2026 from call site

                       at \u00abstring\u00bb:1:%d:

                            1| %s
                             |%s^
                """;
        assertEquals("error: bottom\n\n"
                + callF.formatted(line, 47, line, " ".repeat(47)) + "\n"
                + callF.formatted(line, 61, line, " ".repeat(61)), Bytes.toJava(e.render(true)));
        // throw has no position in Nix 2.8, and function frames are only recorded with --show-trace
        assertEquals("error: bottom\n", e.render(false));
    }

    @Test
    void renderShowsCodeSuggestionsAndTheTraceHint() {
        EvalException e = TestSupport.error("let\n  s = { alpha = 1; beta = 2; };\nin\n  s.alpah\n");
        assertEquals("""
                error: attribute 'alpah' missing

                       at \u00abstring\u00bb:4:3:

                            3| in
                            4|   s.alpah
                             |   ^
                            5|
                       Did you mean alpha?
                """, Bytes.toJava(e.render(false)));
        e = TestSupport.error("{ a = { b = 1 + \"x\"; }; }");
        assertTrue(e.render(false).endsWith("(use '--show-trace' to show detailed location information)\n"), e.render(false));
    }

    @Test
    void tabsExpandAcrossTheWholeMessage() {
        // Nix's logger expands a tab to the next multiple of 8 counted from "error: "
        assertEquals("error: tab      here\n", TestSupport.error("throw \"tab\\there\"").render(false));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1 + \"a\"", "{ }.a", "let x = x; in x", "assert 1 == 2; 1", "throw \"t\"", "abort \"a\"",
        "1 / 0", "\"${{ }}\"", "(1) 2", "builtins.length 1", "builtins.match \"(\" \"\"", "builtins.fromJSON \"[\"",
        "builtins.toFile \"a/b\" \"\"", "import /nonexistent/file.nix", "builtins.elemAt [ ] 1", "[ 1 ] < [ \"a\" ]",
        "builtins.substring (-1) 1 \"\"", "{ a = 1; a = 2; }", "let f = { a }: a; in f 1", "(x: x.y) 1", "if 1 then 2 else 3",
        "builtins.fromTOML \"a = \"", "builtins.getAttr \"z\" { }", "builtins.genList (x: x) (-1)", "!1",
        "derivation { name = \"x\"; }", "builtins.head [ ]", "builtins.toJSON (x: x)", "with 1; x", "-\"a\""})
    void everyErrorNamesAPosition(String src) {
        EvalException e = TestSupport.error(src + "\n");
        assertTrue(e.pos().known() && e.getMessage().startsWith("(string):"), src + " gave " + e.getMessage());
    }
}
