package dev.flotilla.eval;

/** Errors that {@code builtins.tryEval} may catch: {@code throw} and failed assertions. */
public class CatchableException extends EvalException {
    public CatchableException(Pos pos, String message) {
        super(pos, message);
    }
}
