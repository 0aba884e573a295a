package dev.flotilla.eval;

import dev.flotilla.eval.syntax.Expr;

/** nix-instantiate's autoCallFunction: calls a set-pattern function with the {@code --arg}s it accepts. */
public final class AutoCall {
    private AutoCall() {}

    public static Value call(Interpreter in, Value fn, NixAttrs args) {
        if (fn instanceof NixAttrs a && a.has("__functor")) {
            Value inner = in.apply(a.get("__functor").force(), a, Pos.NONE);
            return call(in, inner, args);
        }
        if (!(fn instanceof NixFunction.Lambda l) || l.expr().formals() == null) return fn;
        Expr.Formals formals = l.expr().formals();
        if (formals.ellipsis()) return in.apply(fn, args, Pos.NONE);
        NixAttrs.Builder b = NixAttrs.builder();
        for (Expr.Formal f : formals.formals()) {
            Lazy v = args.get(f.name());
            if (v != null) {
                b.put(f.name(), v);
            } else if (f.defaultValue() == null) {
                throw new EvalException(f.pos(), "cannot evaluate a function that has an argument without a value ('"
                        + f.name() + "')");
            }
        }
        return in.apply(fn, b.build(), Pos.NONE);
    }
}
