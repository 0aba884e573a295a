package dev.flotilla.eval;

/** A syntax or static-scope error; never caught by {@code builtins.tryEval}. */
public class ParseException extends EvalException {
    public ParseException(Pos pos, String message) {
        super(pos, message);
    }
}
