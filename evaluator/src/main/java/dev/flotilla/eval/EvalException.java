package dev.flotilla.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Any error raised while parsing or evaluating Nix code. The message starts with
 * {@code file:line:col: } when a position is known; {@link #frames()} is the chain of enclosing
 * evaluations ("while evaluating the attribute 'x'", "from call site", ...), innermost first,
 * that {@code --show-trace} prints (see {@link #render}).
 */
public class EvalException extends RuntimeException {
    /** Frames kept per error; deeper chains (stack overflows) are cut, and the cut is reported. */
    static final int MAX_FRAMES = 1000;

    /** One enclosing evaluation: what was going on, and where (may be {@link Pos#NONE}). */
    public record Frame(Pos pos, String description) {
        public Frame {
            pos = pos == null ? Pos.NONE : pos;
        }

        @Override
        public String toString() {
            return pos.known() ? description + " at " + pos : description;
        }
    }

    private final Pos pos;
    private final String bareMessage;
    private final List<Frame> frames = new ArrayList<>();
    private int framesDropped;

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

    /** The enclosing evaluations, innermost first. */
    public List<Frame> frames() {
        return Collections.unmodifiableList(frames);
    }

    /** The frames as text ({@code "while evaluating the attribute 'a' at f.nix:1:2"}), innermost first. */
    public List<String> trace() {
        return frames.stream().map(Frame::toString).toList();
    }

    /** Adds a context frame (innermost first); returns this for rethrowing. */
    public EvalException addTrace(Pos at, String what) {
        if (frames.size() < MAX_FRAMES) {
            frames.add(new Frame(at, what));
        } else {
            framesDropped++;
        }
        return this;
    }

    /** The same error reported at {@code at} instead (keeping its kind and frames). */
    EvalException relocated(Pos at) {
        EvalException e = this instanceof CatchableException ? new CatchableException(at, bareMessage) : new EvalException(at, bareMessage);
        e.frames.addAll(frames);
        e.framesDropped = framesDropped;
        return e;
    }

    /**
     * The error as {@code flotilla eval} prints it: {@code error: file:line:col: message}, then with
     * {@code showTrace} one {@code … frame} line per enclosing evaluation. Runs of identical
     * frames (deep recursion) are shown once with a count.
     */
    public String render(boolean showTrace) {
        StringBuilder sb = new StringBuilder("error: ").append(getMessage()).append('\n');
        if (!showTrace) return sb.toString();
        String ellipsis = Bytes.fromJava("\u2026");
        for (int k = 0; k < frames.size(); ) {
            int period = periodAt(k);
            if (period > 0) {
                int reps = 1;
                while (k + (reps + 1) * period <= frames.size() && sameBlock(k, k + reps * period, period)) reps++;
                for (int j = 0; j < period; j++) sb.append("       ").append(ellipsis).append(' ').append(frames.get(k + j)).append('\n');
                if (reps > 1) sb.append("       (the ").append(period == 1 ? "frame above repeats " : period + " frames above repeat ")
                        .append(reps - 1).append(reps == 2 ? " more time)\n" : " more times)\n");
                k += reps * period;
            } else {
                sb.append("       ").append(ellipsis).append(' ').append(frames.get(k)).append('\n');
                k++;
            }
        }
        if (framesDropped > 0) sb.append("       (").append(framesDropped).append(" more frames omitted)\n");
        return sb.toString();
    }

    /** The shortest period (up to 4 frames) of a block that repeats right after {@code k}, or 0. */
    private int periodAt(int k) {
        for (int p = 1; p <= 4; p++) {
            if (k + 2 * p <= frames.size() && sameBlock(k, k + p, p)) return p;
        }
        return 0;
    }

    private boolean sameBlock(int a, int b, int len) {
        for (int j = 0; j < len; j++) {
            if (!frames.get(a + j).equals(frames.get(b + j))) return false;
        }
        return true;
    }
}
