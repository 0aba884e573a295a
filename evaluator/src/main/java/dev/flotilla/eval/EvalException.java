package dev.flotilla.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Any error raised while parsing or evaluating Nix code. The message starts with
 * {@code file:line:col: } when a position is known; {@link #frames()} is the chain of enclosing
 * evaluations ("while evaluating the attribute 'x'", "from call site", ...), innermost first,
 * that {@code --show-trace} prints (see {@link #render}).
 */
public class EvalException extends RuntimeException {
    /** Frames kept per error; deeper chains are cut, and the cut is reported. */
    static final int MAX_FRAMES = 1000;

    /**
     * One enclosing evaluation: what was going on, and where (may be {@link Pos#NONE}).
     * {@code traceOnly} frames (function calls) are the ones Nix 2.8 records only under
     * {@code --show-trace}, so they do not earn the "use --show-trace" hint.
     */
    public record Frame(Pos pos, String description, boolean traceOnly) {
        public Frame {
            pos = pos == null ? Pos.NONE : pos;
        }

        public Frame(Pos pos, String description) {
            this(pos, description, false);
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
    private boolean positionShown = true;
    private Suggestions suggestions = Suggestions.NONE;

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
        return add(new Frame(at, what, false));
    }

    /** Adds a function-call frame, one that Nix 2.8 only records under {@code --show-trace}. */
    public EvalException addCallTrace(Pos at, String what) {
        return add(new Frame(at, what, true));
    }

    private EvalException add(Frame f) {
        if (frames.size() < MAX_FRAMES) {
            frames.add(f);
        } else {
            framesDropped++;
        }
        return this;
    }

    /**
     * Marks an error that Nix 2.8 reports without a location ({@code throw}, {@code abort}, ...):
     * the position stays in {@link #getMessage()}, but {@link #render} prints no "at" line.
     */
    public EvalException withoutShownPosition() {
        positionShown = false;
        return this;
    }

    /** Remembers the names the user may have meant instead of {@code wanted} ("Did you mean ...?"). */
    public EvalException suggest(Collection<String> names, String wanted) {
        suggestions = Suggestions.bestMatches(names, wanted);
        return this;
    }

    /** The same error reported at {@code at} instead (keeping its kind and frames). */
    EvalException relocated(Pos at) {
        EvalException e = this instanceof CatchableException ? new CatchableException(at, bareMessage) : new EvalException(at, bareMessage);
        e.frames.addAll(frames);
        e.framesDropped = framesDropped;
        e.positionShown = positionShown;
        e.suggestions = suggestions;
        return e;
    }

    /** Whether Nix 2.8 would hint at {@code --show-trace}: the error has frames it records without it. */
    public boolean hasTrace() {
        return frames.stream().anyMatch(f -> !f.traceOnly()) || framesDropped > 0;
    }

    /**
     * The error as nix-instantiate 2.8 prints it on stderr (as byte chars): the message, the
     * position with the lines of code around it, suggestions, then with {@code showTrace} every
     * enclosing evaluation the same way; without it, a hint to use {@code --show-trace} when
     * there is a trace to show.
     */
    public String render(boolean showTrace) {
        StringBuilder sb = new StringBuilder(bareMessage).append('\n');
        if (positionShown && pos.known()) {
            sb.append('\n');
            ErrorText.appendPosition(sb, pos);
        }
        String hint = suggestions.trimmed().describe();
        if (!hint.isEmpty()) sb.append("Did you mean ").append(hint).append("?\n");
        if (showTrace) {
            String ellipsis = Bytes.fromJava("\u2026");
            for (Frame f : frames) {
                sb.append('\n').append(ellipsis).append(' ').append(f.description()).append('\n');
                if (f.pos().known()) {
                    sb.append('\n');
                    ErrorText.appendPosition(sb, f.pos());
                }
            }
            if (framesDropped > 0) sb.append("\n(").append(framesDropped).append(" more frames omitted)\n");
        }
        String text = ErrorText.filterTabs(ErrorText.indent("error: ", "       ", ErrorText.chomp(sb.toString()))) + "\n";
        if (!showTrace && hasTrace()) text += "(use '--show-trace' to show detailed location information)\n";
        return text;
    }
}
