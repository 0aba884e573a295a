package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regex errors and cost. What matches (leftmost-longest alternation, bracket expressions,
 * classes) is in golden/regex.nix, whose expected output comes from nix-instantiate 2.8.
 */
class RegexTest {

    /** Each of these is rejected by Nix 2.8 too. */
    @ParameterizedTest
    @ValueSource(strings = {"(", "a{,3}", "[[:foo:]]", "*a", "a|*", "(*a)", "^*", "a)", "[", "[^]", "[a-c-e]+",
        "[[:alpha:]-z]+", "[z-a]", "a{1", "a{1,2", "\\\\n", "\\\\d", "\\\\]", "\\\\}", "\\\\-", "\\\\/", "\\\\ ", "\\\\1",
        "[[.-.]]", "[[.1.]]", "a{3,2}", "\\\\"})
    void invalidExpressionsAreErrors(String re) {
        EvalException e = TestSupport.error("builtins.match \"" + re + "\" \"\"");
        assertEquals("invalid regular expression '" + re.replace("\\\\", "\\") + "'", e.bareMessage());
    }

    @Test
    void splittingALongTextIsLinear() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertEquals("\"20001\"", TestSupport.eval(
                "let text = builtins.concatStringsSep \"\" (builtins.genList (i: \"line ${toString i}\\n\") 20000);"
                        + " in toString (builtins.length (builtins.filter builtins.isString (builtins.split \"\\n\" text)))")));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertEquals("3", TestSupport.eval(
                "let s = builtins.concatStringsSep \"\" (builtins.genList (i: \"ab \") 20000);"
                        + " in builtins.length (builtins.match \"(([a-z]|b)+ )*(x?)\" s)")));
    }

    /** Nix 2.8 takes 13 s for the split (same result) and does not finish the match. */
    @Test
    void nestedRepetitionIsNotExponential() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertEquals("null",
                TestSupport.eval("builtins.match \"(a*)*b\" \"" + "a".repeat(40) + "\"")));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertEquals("[ \"\" [ \"" + "a".repeat(40) + "\" \"a\" ] \"\" [ \"\" null ] \"\" ]",
                TestSupport.eval("builtins.split \"((a|aa)*)\" \"" + "a".repeat(40) + "\"")));
    }
}
