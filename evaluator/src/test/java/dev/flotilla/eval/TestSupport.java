package dev.flotilla.eval;

import dev.flotilla.eval.print.ValuePrinter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small helpers: evaluate a string strictly and print it like nix-instantiate. */
final class TestSupport {
    private TestSupport() {}

    static Evaluator evaluator() {
        return new Evaluator(new EvalOptions("/nix/store", List.of(), Map.<String, String>of("TEST_VAR", "foo")::get,
                "x86_64-linux", "/home/test", CorpusRunner.nullStream()));
    }

    static String eval(String src) {
        return Boundary.onBigStack(() -> {
            Value v = evaluator().evalString(src, Path.of("/tmp"));
            Deep.force(v);
            return Bytes.toJava(ValuePrinter.print(v, true));
        });
    }

    static EvalException error(String src) {
        try {
            String v = eval(src);
            throw new AssertionError("expected an error, got " + v);
        } catch (EvalException e) {
            return e;
        }
    }
}
