package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of valid programs: parsing and evaluating must end in a value or an
 * {@link EvalException}, never in another exception (NPE, index out of bounds, ...).
 */
class FuzzTest {
    private static final List<String> SEEDS = List.of(
            "let a = 1; b = { c = [ 1 2 \"x${toString a}\" ]; }; in b.c",
            "rec { x = y: y + 1; z = x 2; w = ''\n  ind ${toString z}\n''; }",
            "{ a ? 1, ... }@args: with args; [ a ./p/${\"q\"} <nix/fetchurl.nix> ]",
            "if 1 < 2 then builtins.map (x: x * 2) [ 1 2 ] else assert false; null",
            "let f = { x, y ? x }: x // y; in f { x = { a.b = 1; }; }",
            "builtins.match \"([a-z]+)\" (builtins.concatStringsSep \",\" [ \"a\" \"b\" ])");
    private static final String[] TOKENS = {"{", "}", "(", ")", "[", "]", ";", ":", "=", "\"", "''", "${", ".", "?",
        "@", "...", "let", "in", "rec", "with", "inherit", "or", "if", "then", "else", "assert", "x", "1", "2.5", "./a",
        "//", "++", "->", "==", "!", "-", "+", "*", "/", "<", ">", ",", "#", "/*", "\n", " ", "\\", "$", "'", "~/"};

    @Test
    void randomMutationsNeverCrash() {
        Random rnd = new Random(20240608);
        Evaluator ev = TestSupport.evaluator();
        for (int iter = 0; iter < 3000; iter++) {
            String src = mutate(SEEDS.get(rnd.nextInt(SEEDS.size())), rnd);
            try {
                Boundary.onBigStack(() -> {
                    Value v = ev.evalString(src, Path.of("/tmp"));
                    Deep.force(v);
                    return v;
                });
            } catch (EvalException e) {
                // expected for most mutations
            } catch (RuntimeException | StackOverflowError e) {
                fail("input " + src.replace("\n", "\\n") + " crashed with " + e, e);
            }
        }
    }

    private static String mutate(String s, Random rnd) {
        StringBuilder sb = new StringBuilder(s);
        int n = 1 + rnd.nextInt(4);
        for (int k = 0; k < n; k++) {
            int at = rnd.nextInt(sb.length() + 1);
            switch (rnd.nextInt(3)) {
                case 0 -> sb.insert(at, TOKENS[rnd.nextInt(TOKENS.length)]);
                case 1 -> {
                    if (at < sb.length()) sb.deleteCharAt(at);
                }
                default -> {
                    int len = Math.min(sb.length() - at, rnd.nextInt(6));
                    sb.delete(at, at + len);
                }
            }
        }
        return sb.toString();
    }
}
