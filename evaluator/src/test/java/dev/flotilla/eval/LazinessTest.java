package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Laziness, black holes, catchable vs fatal errors, and deep recursion. */
class LazinessTest {

    @Test
    void unusedValuesAreNeverEvaluated() {
        assertEquals("1", TestSupport.eval("let x = throw \"boom\"; in { a = 1; b = x; }.a"));
        assertEquals("2", TestSupport.eval("builtins.length [ (throw \"a\") (abort \"b\") ]"));
        assertEquals("3", TestSupport.eval("(x: 3) (throw \"never\")"));
        assertEquals("true", TestSupport.eval("{ a = throw \"x\"; } ? a"));
        assertEquals("[ 1 ]", TestSupport.eval("map builtins.stringLength (builtins.attrNames { \"1\" = throw \"x\"; })"));
    }

    @Test
    void selfReferenceIsInfiniteRecursion() {
        EvalException e = TestSupport.error("let x = x + 1; in x");
        assertTrue(e.getMessage().contains("infinite recursion encountered"), e.getMessage());
        e = TestSupport.error("rec { a = b; b = a; }.a");
        assertTrue(e.getMessage().contains("infinite recursion encountered"), e.getMessage());
    }

    @Test
    void recursiveDataIsFine() {
        assertEquals("[ 1 2 3 ]", TestSupport.eval("let xs = { h = 1; t = { h = 2; t = { h = 3; t = null; }; }; };"
                + " go = l: if l == null then [] else [ l.h ] ++ go l.t; in go xs"));
        assertEquals("55", TestSupport.eval("let fib = n: if n < 2 then n else fib (n - 1) + fib (n - 2); in fib 10"));
        assertEquals("{ a = 1; b = \u00abrepeated\u00bb; }", TestSupport.eval("let s = { a = 1; b = s; }; in s"));
    }

    @Test
    void tryEvalCatchesOnlyThrowAndAssert() {
        assertEquals("{ success = false; value = false; }", TestSupport.eval("builtins.tryEval (throw \"x\")"));
        assertEquals("{ success = false; value = false; }", TestSupport.eval("builtins.tryEval (assert false; 1)"));
        EvalException e = TestSupport.error("builtins.tryEval (abort \"fatal\")");
        assertFalse(e instanceof CatchableException);
        // a thunk that failed can be forced again (it is not left black-holed)
        assertEquals("[ false false ]", TestSupport.eval(
                "let t = throw \"x\"; in [ (builtins.tryEval t).success (builtins.tryEval t).success ]"));
    }

    @Test
    void deepRecursionIsAStackOverflowErrorNotACrash() {
        EvalException e = TestSupport.error("let f = n: 1 + f (n + 1); in f 0");
        // the position of the call that went one level too deep
        assertTrue(e.getMessage().matches("\\(string\\):1:1[56]: stack overflow \\(possible infinite recursion\\)"), e.getMessage());
        // Nix 2.8 prints it without a position or frames
        assertEquals("error: stack overflow (possible infinite recursion)\n", e.render(true));
        assertEquals("100000", TestSupport.eval("let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 100000"));
    }

    @Test
    void errorPositionsPointAtTheFailingExpression() {
        EvalException e = TestSupport.error("let a = { b = 1; }; in\n  a.c");
        assertEquals("(string):2:3: attribute 'c' missing", e.getMessage());
        e = TestSupport.error("1 + \"a\"");
        assertInstanceOf(EvalException.class, e);
        assertTrue(e.getMessage().startsWith("(string):1:5: cannot add a string to an integer"), e.getMessage());
    }
}
