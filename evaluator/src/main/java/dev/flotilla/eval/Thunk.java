package dev.flotilla.eval;

import dev.flotilla.eval.syntax.Expr;
import java.util.function.Supplier;

/**
 * A delayed computation with explicit states: suspended (an expression in an environment, or a
 * builtin's deferred computation), black-holed while being forced, and evaluated. Forcing a
 * black hole means the value depends on itself: "infinite recursion encountered". If forcing
 * fails, the thunk goes back to its suspended state so that {@code tryEval} can retry it.
 * Not thread-safe: a thunk belongs to one evaluation.
 */
public final class Thunk implements Lazy {
    private sealed interface State permits Suspended, Deferred, BlackHole, Done {}

    private record Suspended(Expr expr, Env env) implements State {}

    private record Deferred(Supplier<Value> compute) implements State {}

    private record BlackHole(Pos pos) implements State {}

    private record Done(Value value) implements State {}

    private State state;

    public Thunk(Expr expr, Env env) {
        this.state = new Suspended(expr, env);
    }

    public Thunk(Supplier<Value> compute) {
        this.state = new Deferred(compute);
    }

    public boolean isEvaluated() {
        return state instanceof Done;
    }

    /** The value if already evaluated, else null; never forces. */
    public Value peek() {
        return state instanceof Done d ? d.value : null;
    }

    @Override
    public Value force() {
        State s = state;
        if (s instanceof Done d) return d.value;
        Pos pos = s instanceof Suspended su ? su.expr.pos() : Pos.NONE;
        state = switch (s) {
            case BlackHole b -> throw new EvalException(b.pos, "infinite recursion encountered");
            default -> new BlackHole(pos);
        };
        try {
            Value v = switch (s) {
                case Suspended su -> su.env.interpreter().eval(su.expr, su.env);
                case Deferred d -> d.compute.get();
                default -> throw new IllegalStateException();
            };
            state = new Done(v);
            return v;
        } catch (RuntimeException | Error e) {
            state = s;
            throw e;
        }
    }
}
