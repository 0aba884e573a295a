package dev.flotilla.eval;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the parser and evaluator with Jazzer. Under plain {@code mvn test}
 * it replays the inputs in {@code src/test/resources/dev/flotilla/eval/ParserFuzzTestInputs}
 * (seeds, and any crash reproducer added there); with {@code JAZZER_FUZZ=1} it fuzzes for
 * {@code maxDuration}, starting from them (see the README). Any input must end in a value or an
 * {@link EvalException}, never in another exception.
 */
class ParserFuzzTest {
    private static final Evaluator EVALUATOR = TestSupport.evaluator();

    @FuzzTest(maxDuration = "30s")
    void parseAndEvaluate(byte[] input) {
        String src = Bytes.of(input);
        try {
            Boundary.onBigStack(() -> {
                Value v = EVALUATOR.evalString(Bytes.toJava(src), Path.of("/tmp"));
                return Deep.force(v);
            });
        } catch (EvalException expected) {
            // a positioned error is a correct answer
        }
    }
}
