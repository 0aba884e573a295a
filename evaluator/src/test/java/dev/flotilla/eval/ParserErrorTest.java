package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parse errors are reported as {@code file:line:col: message} at the offending token. */
class ParserErrorTest {

    static Stream<Arguments> errors() {
        return Stream.of(
            Arguments.of("1 +", "(string):1:4: syntax error, unexpected end of file"),
            Arguments.of("{ a = 1; a = 2; }", "(string):1:10: attribute 'a' already defined at (string):1:3"),
            Arguments.of("{ a.b = 1; a.b = 2; }", "(string):1:12: attribute 'a.b' already defined at (string):1:3"),
            Arguments.of("x: y", "(string):1:4: undefined variable 'y'"),
            Arguments.of("{ x, y, x }: x", "(string):1:9: duplicate formal function argument 'x'"),
            Arguments.of("a@{ a }: a", "(string):1:1: duplicate formal function argument 'a'"),
            Arguments.of("let\n  a = 1;\n  b = ;\nin a", "(string):3:7: syntax error, unexpected ';'"),
            Arguments.of("1 == 2 == 3", "(string):1:8: syntax error, unexpected '=='"),
            Arguments.of("./foo/", "(string):1:7: path has a trailing slash"),
            Arguments.of("\"abc", "(string):1:5: syntax error, unexpected end of file, expecting '\"'"),
            Arguments.of("let a = \"x\"; in let ${a} = 1; in 1", "(string):1:17: dynamic attributes not allowed in let"),
            Arguments.of("123 é 4", "(string):1:5: syntax error, unexpected invalid token 'Ã'"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void reportsPosition(String src, String expected) {
        EvalException e = TestSupport.error(src.replace("\\n", "\n"));
        assertInstanceOf(ParseException.class, e);
        assertEquals(expected, e.getMessage());
    }

    static Stream<Arguments> programs() {
        return Stream.of(
            Arguments.of("{ a.b = 1; a.c = 2; }.a.c", "2"),
            Arguments.of("{ a = { b = 1; }; a.c = 2; }.a", "{ b = 1; c = 2; }"),
            Arguments.of("let f = { a ? 1, ... } @ args: a; in f {}", "1"),
            Arguments.of("-2 - -3", "1"),
            Arguments.of("!true == false", "true"),
            Arguments.of("[ 1 2 ] ++ [ 3 ] ++ [ ]", "[ 1 2 3 ]"),
            Arguments.of("{ a = 1; } // { b = 2; } // { a = 3; }", "{ a = 3; b = 2; }"),
            Arguments.of("2 * 3 + 4 * 5", "26"),
            Arguments.of("let or = 5; in (y: y) or", "5"),
            Arguments.of("''\n  a\n    b\n''", "\"a\\n  b\\n\""),
            Arguments.of("http://example.org/a?b=c", "\"http://example.org/a?b=c\""),
            Arguments.of("{ \"a b\" = 1; }.\"a b\"", "1"),
            Arguments.of("let x = \"a\"; in { ${x} = 1; }", "{ a = 1; }"),
            Arguments.of("rec { a = 1; b = a; }.b", "1"),
            Arguments.of("let { a = 2; body = a; }", "2"),
            Arguments.of("assert true; 1", "1"),
            Arguments.of("with { a = 1; }; a", "1"),
            Arguments.of("{ a = 1; }.b or 7", "7"));
    }

    @ParameterizedTest
    @MethodSource("programs")
    void parsesAndEvaluates(String src, String expected) {
        assertEquals(expected, TestSupport.eval(src.replace("\\n", "\n")).replace("\n", "\\n"));
    }

    @org.junit.jupiter.api.Test
    void errorsCarryFileAndLineOfImportedFile() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("nixerr");
        java.nio.file.Path f = dir.resolve("bad.nix");
        java.nio.file.Files.writeString(f, "{\n  a = 1;\n  b = a +;\n}\n");
        EvalException e = org.junit.jupiter.api.Assertions.assertThrows(EvalException.class,
                () -> TestSupport.evaluator().evalFile(f));
        assertTrue(e.getMessage().startsWith(f + ":3:10: "), e.getMessage());
    }
}
