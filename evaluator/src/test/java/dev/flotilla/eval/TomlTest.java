package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code builtins.fromTOML}: TOML 1.0 beyond what the corpus covers, and its errors. */
class TomlTest {

    private static String toml(String text) {
        return TestSupport.eval("builtins.fromTOML ''\n" + text.replace("''", "'''").replace("${", "''${") + "\n''");
    }

    @Test
    void dottedKeysAndSubTables() {
        assertEquals("{ a = { b = { c = 1; }; d = 2; }; }", toml("a.b.c = 1\na.d = 2"));
        assertEquals("{ fruit = { apple = { color = \"red\"; texture = { smooth = true; }; }; }; }",
                toml("[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true"));
        assertEquals("{ a = { b = { x = 1; }; y = 2; }; }", toml("[a.b]\nx = 1\n[a]\ny = 2"));
    }

    @Test
    void strings() {
        assertEquals("{ s = \"a\\tb\\\\ é \\\"q\\\"\"; }", toml("s = \"a\\tb\\\\ \\u00e9 \\\"q\\\"\""));
        assertEquals("{ s = \"one two\"; }", toml("s = \"\"\"\none \\\n     two\"\"\""));
        assertEquals("{ s = \"x\\n\\\"\\\"\"; }", toml("s = \"\"\"x\n\"\"\"\"\""));
        assertEquals("{ s = \"C:\\\\path\"; }", toml("s = 'C:\\path'"));
        assertEquals("{ s = \"raw \\\\n\\n''\"; }", toml("s = '''\nraw \\n\n'''''"));
    }

    @Test
    void numbers() {
        assertEquals("{ a = 9223372036854775807; b = -9223372036854775808; c = 255; }",
                toml("a = 9223372036854775807\nb = -9223372036854775808\nc = 0xff"));
        assertEquals("[ true true true ]", TestSupport.eval(
                "let t = builtins.fromTOML \"a = inf\\nb = -inf\\nc = nan\"; in [ (t.a > 1.0e308) (t.b < -1.0e308) (t.c != t.c) ]"));
        assertEquals("{ a = 0.5; b = 100; }", toml("a = 5e-1\nb = 1_0_0"));
    }

    @Test
    void arraysAndInlineTables() {
        assertEquals("{ a = [ 1 \"x\" [ ] { } ]; }", toml("a = [ 1, \"x\", [], {}, ] # mixed"));
        assertEquals("{ t = { a = { b = 1; c = 2; }; }; }", toml("t = { a.b = 1, a.c = 2 }"));
        assertEquals("{ x = [ { y = [ { z = 1; } { z = 2; } ]; } ]; }", toml("[[x]]\n[[x.y]]\nz = 1\n[[x.y]]\nz = 2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a = 1\na = 2", "[t]\n[t]", "a = {}\n[a]", "a.b = 1\n[a]", "a = [1]\n[[a]]", "x = 1 y = 2",
        "a = 01", "a = 1__0", "a = _1", "a = 0x", "a = 99999999999999999999", "a = \"open", "a = [1, 2",
        "= 1", "a = \"\\q\"", "t = { a = 1, }", "t = { a = 1\n}", "a = .5", "a = 1.", "a = tru"})
    void invalidDocumentsAreErrors(String text) {
        EvalException e = TestSupport.error("builtins.fromTOML " + JavaStrings.nix(text));
        assertTrue(e.getMessage().startsWith("(string):1:1: while parsing a TOML string: "), e.getMessage());
    }

    @Test
    void datesAreRejectedLikeNix() {
        EvalException e = TestSupport.error("builtins.fromTOML \"d = 1979-05-27T07:32:00Z\"");
        assertEquals("(string):1:1: while parsing a TOML string: Dates and times are not supported",
                e.getMessage());
    }

    /** Nix string literals for test inputs. */
    static final class JavaStrings {
        static String nix(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("$", "\\$") + "\"";
        }
    }
}
