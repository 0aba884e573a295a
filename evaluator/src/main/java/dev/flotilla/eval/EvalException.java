package dev.flotilla.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Any error raised while parsing or evaluating Nix code. The message starts with
 * {@code file:line:col: } when a position is known; {@link #trace()} lists the
 * "while evaluating ..." frames that {@code --show-trace} prints.
 */
public class EvalException extends RuntimeException {
    private final Pos pos;
    private final String bareMessage;
    private final List<String> trace = new ArrayList<>();

    public EvalException(Pos pos, String message) {
        super(message, null, false, false);
        this.pos = pos == null ? Pos.NONE : pos;
        this.bareMessage = message;
    }

    public Pos pos() {
        return pos;
    }

    /** The message without position prefix. */
    public String bareMessage() {
        return bareMessage;
    }

    @Override
    public String getMessage() {
        return pos.known() ? pos + ": " + bareMessage : bareMessage;
    }

    public List<String> trace() {
        return Collections.unmodifiableList(trace);
    }

    /** Adds a context frame (innermost first); returns this for rethrowing. */
    public EvalException addTrace(Pos at, String what) {
        if (trace.size() < 1000) {
            trace.add(at != null && at.known() ? at + ": " + what : what);
        }
        return this;
    }
}
