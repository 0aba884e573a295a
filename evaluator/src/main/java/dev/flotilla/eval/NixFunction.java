package dev.flotilla.eval;

import dev.flotilla.eval.syntax.Expr;
import java.util.List;

/** The three kinds of callable values. */
public sealed interface NixFunction extends Value {
    @Override
    default String typeOf() {
        return "lambda";
    }

    /** A user-defined function closed over its environment. */
    record Lambda(Expr.Lambda expr, Env env) implements NixFunction {
        public String showType() {
            return "a function";
        }
    }

    /** A builtin function of fixed arity. */
    record PrimOp(String name, int arity, Builtin impl) implements NixFunction {
        public String showType() {
            return "a built-in function";
        }
    }

    /** A builtin applied to fewer arguments than its arity. */
    record PrimOpApp(PrimOp op, List<Lazy> args) implements NixFunction {
        public PrimOpApp {
            args = List.copyOf(args);
        }

        public String showType() {
            return "a partially applied built-in function";
        }
    }

    /** The body of a builtin: receives exactly {@code arity} unforced arguments. */
    @FunctionalInterface
    interface Builtin {
        Value apply(Interpreter in, Lazy[] args, Pos pos);
    }
}
