package dev.flotilla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flotilla.cli.EvalFleetTest.Run;
import org.junit.jupiter.api.Test;

/** nix-instantiate's command lines, as scripts and other projects' test suites write them. */
class EvalFlagsTest {

    @Test
    void dashEMakesEveryArgumentAnExpressionWhereverItStands() {
        assertEquals(new Run(0, "3\n", ""), EvalFleetTest.eval("eval", "--eval", "-E", "1 + 2"));
        assertEquals(new Run(0, "3\n", ""), EvalFleetTest.eval("eval", "-E", "--eval", "1 + 2"));
        assertEquals(new Run(0, "1\n\"b\"\n", ""), EvalFleetTest.eval("eval", "--eval", "--expr", "1", "\"b\""));
        assertEquals(new Run(0, "", ""), EvalFleetTest.eval("eval", "--eval", "-E"), "no expression: nothing to do, as in Nix");
    }

    @Test
    void settingsThatDoNotChangeAnEvaluationAreAccepted() {
        assertEquals(new Run(0, "[ 1 2 ]\n", ""), EvalFleetTest.eval("eval", "--eval-only", "--strict", "--read-write-mode",
                "--timeout", "10", "--option", "sandbox", "false", "-E", "[ 1 2 ]"));
        assertEquals(new Run(0, "{ a = 1; }\n", ""), EvalFleetTest.eval("eval", "--eval", "--readonly-mode", "-E", "{ a = 1; }"));
    }
}
