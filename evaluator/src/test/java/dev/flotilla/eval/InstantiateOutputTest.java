package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flotilla.eval.Instantiate.Output;
import dev.flotilla.eval.Instantiate.Request;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What nix-instantiate 2.8 prints for -E and stdin expressions, byte for byte. */
class InstantiateOutputTest {

    private static String run(String expr, String stdin, Output output) {
        return run(expr, stdin, output, true);
    }

    private static String run(String expr, String stdin, Output output, boolean eval) {
        EvalOptions options = new EvalOptions("/nix/store", List.of(), Map.<String, String>of()::get, "x86_64-linux",
                "/home/test", CorpusRunner.nullStream());
        Request r = new Request(stdin != null ? "-" : null, expr, stdin, false, eval, eval, output, true, null, null,
                Path.of("/tmp"));
        return Instantiate.run(new Evaluator(options), r);
    }

    @Test
    void traceShowsLiteralsInListsEvaluated() {
        // literal numbers and strings in a list are values, not thunks, so trace prints them
        java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
        EvalOptions options = new EvalOptions("/nix/store", List.of(), Map.<String, String>of()::get, "x86_64-linux",
                "/home/test", new java.io.PrintStream(sink, true, java.nio.charset.StandardCharsets.UTF_8));
        Request r = new Request(null, "builtins.trace [ 1 1.5 \"s\" (1 + 1) ] 1", null, false, true, false, Output.TEXT,
                true, null, null, Path.of("/tmp"));
        assertEquals("1\n", Instantiate.run(new Evaluator(options), r));
        assertEquals("trace: [ 1 1.5 \"s\" <CODE> ]\n", sink.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void instantiationFindsDerivationsAsNixDoes() {
        // lists are searched throughout, sets only where they say recurseForDerivations; each drv once
        String expr = "let d = derivation { name = \"x\"; builder = \"b\"; system = \"s\"; outputs = [\"out\" \"dev\"]; }; in"
                + " [ d d.dev [ d ] { x = d; } { y = { recurseForDerivations = true;"
                + " z = derivation { name = \"z\"; builder = \"b\"; system = \"s\"; }; }; \"1a\" = 1; } ]";
        assertEquals("""
                /nix/store/040xifk5w527swvfrd2g2gyfihfbyn4w-x.drv
                /nix/store/040xifk5w527swvfrd2g2gyfihfbyn4w-x.drv!dev
                /nix/store/mkac8mz5y88jpx9gl2mfdars1fvwnry6-z.drv
                """, run(expr, null, Output.TEXT, false));
        EvalException e = org.junit.jupiter.api.Assertions.assertThrows(EvalException.class, () -> run("[ 1 ]", null, Output.TEXT, false));
        assertEquals("expression does not evaluate to a derivation (or a set or list of those)", e.bareMessage());
    }

    @Test
    void jsonHasNoTrailingNewline() {
        assertEquals("{\"a\":[1,2]}", run("{ a = [ 1 2 ]; }", null, Output.JSON));
    }

    @Test
    void positionsInCommandLineTextNameTheTextItself() {
        // Nix 2.8 records the expression text as the "file" of its positions
        assertEquals("{ column = 32; file = \"builtins.unsafeGetAttrPos \\\"a\\\" {a=1;}\"; line = 1; }\n",
                run("builtins.unsafeGetAttrPos \"a\" {a=1;}", null, Output.TEXT));
        assertEquals("{ column = 1; file = \"__curPos\\n\"; line = 1; }\n", run(null, "__curPos\n", Output.TEXT));
        assertEquals("""
                <?xml version='1.0' encoding='utf-8'?>
                <expr>
                  <attrs>
                    <attr column="2" line="1" name="a" path="{a=1;}&#xA;">
                      <int value="1" />
                    </attr>
                  </attrs>
                </expr>
                """, run(null, "{a=1;}\n", Output.XML));
    }

    @Test
    void errorsInCommandLineTextShowItsLines() {
        EvalException e = org.junit.jupiter.api.Assertions.assertThrows(EvalException.class, () -> run(null, "1 + \"a\"\n", Output.TEXT));
        assertEquals("""
                error: cannot add a string to an integer

                       at \u00abstdin\u00bb:1:5:

                            1| 1 + "a"
                             |     ^
                            2|
                """, Bytes.toJava(e.render(false)));
    }
}
