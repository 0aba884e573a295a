package dev.flotilla.eval;

import dev.flotilla.eval.syntax.Expr;
import java.util.function.Supplier;

/**
 * A delayed computation with explicit states: suspended (an expression in an environment, or a
 * builtin's deferred computation), black-holed while being forced, and evaluated. Forcing a
 * black hole means the value depends on itself: "infinite recursion encountered". If forcing
 * fails, the thunk goes back to its suspended state so that {@code tryEval} can retry it.
 * Not thread-safe: a thunk belongs to one evaluation.
 *
 * <p>The state lives in plain fields rather than in one object per state: thunks are the most
 * allocated objects of an evaluation.
 */
public final class Thunk implements Lazy {
    private static final byte SUSPENDED = 0, DEFERRED = 1, BLACK_HOLE = 2, DONE = 3;

    private byte state;
    /** SUSPENDED / BLACK_HOLE (from SUSPENDED): the expression; DEFERRED: null. */
    private Expr expr;
    /** SUSPENDED: the environment; DEFERRED: the computation; DONE: the value. */
    private Object payload;

    public Thunk(Expr expr, Env env) {
        this.state = SUSPENDED;
        this.expr = expr;
        this.payload = env;
    }

    public Thunk(Supplier<Value> compute) {
        this.state = DEFERRED;
        this.payload = compute;
    }

    public boolean isEvaluated() {
        return state == DONE;
    }

    /** The value if already evaluated, else null; never forces. */
    public Value peek() {
        return state == DONE ? (Value) payload : null;
    }

    @Override
    public Value force(Pos at) {
        if (state == BLACK_HOLE && at != null && at.known()) throw new EvalException(at, "infinite recursion encountered");
        return force();
    }

    @Override
    public Value force() {
        byte s = state;
        if (s == DONE) return (Value) payload;
        if (s == BLACK_HOLE) throw new EvalException(expr == null ? Pos.NONE : expr.pos(), "infinite recursion encountered");
        state = BLACK_HOLE;
        try {
            Value v;
            if (s == SUSPENDED) {
                Env env = (Env) payload;
                v = env.interpreter().eval(expr, env);
            } else {
                @SuppressWarnings("unchecked")
                Supplier<Value> compute = (Supplier<Value>) payload;
                v = compute.get();
            }
            state = DONE;
            payload = v;
            expr = null;
            return v;
        } catch (RuntimeException | Error e) {
            state = s;
            throw e;
        }
    }
}
