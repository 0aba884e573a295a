package dev.flotilla.eval;

import dev.flotilla.eval.syntax.Expr.Attrs;
import dev.flotilla.eval.syntax.Expr.Binding;
import dev.flotilla.eval.syntax.Expr.DynamicBinding;
import java.util.List;

/** Building attribute sets and let-environments (including {@code rec}, {@code __overrides}, dynamic keys). */
final class AttrsEval {
    private AttrsEval() {}

    static Value attrs(Interpreter in, Attrs a, Env env) {
        List<Binding> bs = a.bindings();
        Env scope = env;
        if (a.rec()) {
            scope = env.child(bs.size());
            fill(in, bs, scope, env);
        }
        if (a.dynamics().isEmpty() && !(a.rec() && hasOverrides(a))) {
            // the common case: the parser's sorted bindings become the set directly
            Lazy[] values = new Lazy[bs.size()];
            for (int k = 0; k < values.length; k++) values[k] = a.rec() ? scope.slots[k] : in.lazy(bs.get(k).value(), env);
            return NixAttrs.ofSorted(a.names(), values, a.positions(), a.pos());
        }
        NixAttrs.Builder b = NixAttrs.builder();
        int overrides = -1;
        for (int k = 0; k < bs.size(); k++) {
            Binding bd = bs.get(k);
            Lazy v = a.rec() ? scope.slots[k] : in.lazy(bd.value(), env);
            b.put(bd.name(), v, bd.pos());
            if (a.rec() && bd.name().equals("__overrides")) overrides = k;
        }
        if (overrides >= 0) applyOverrides(bs, scope, b, scope.slots[overrides], a);
        for (DynamicBinding d : a.dynamics()) {
            Value name = in.eval(d.name(), scope);
            if (name == NixNull.NULL) continue;
            String n = Force.stringNoContext(name, d.name().pos());
            if (b.has(n)) {
                throw new EvalException(d.pos(), "dynamic attribute '" + n + "' already defined at " + b.pos(n));
            }
            b.put(n, in.lazy(d.value(), scope), d.pos());
        }
        return b.build().writtenAt(a.pos());
    }

    private static boolean hasOverrides(Attrs a) {
        return java.util.Arrays.binarySearch(a.names(), "__overrides") >= 0;
    }

    /** Attributes of {@code __overrides} replace same-named ones, also inside the rec scope. */
    private static void applyOverrides(List<Binding> bs, Env scope, NixAttrs.Builder b, Lazy ov, Attrs a) {
        NixAttrs o = Force.attrs(ov, a.pos());
        for (int k = 0; k < o.size(); k++) {
            String name = o.name(k);
            b.put(name, o.value(k), o.position(name));
            for (int j = 0; j < bs.size(); j++) {
                if (bs.get(j).name().equals(name)) scope.slots[j] = o.value(k);
            }
        }
    }

    private static void fill(Interpreter in, List<Binding> bs, Env scope, Env outer) {
        for (int k = 0; k < bs.size(); k++) {
            Binding bd = bs.get(k);
            scope.slots[k] = bd.inherited() ? in.lazy(bd.value(), outer) : new Thunk(bd.value(), scope);
        }
        // Constants need no thunk. Aliases of sibling bindings keep theirs: __overrides may replace the sibling.
        for (int k = 0; k < bs.size(); k++) {
            Binding bd = bs.get(k);
            if (!bd.inherited() && !(bd.value() instanceof dev.flotilla.eval.syntax.Expr.Var v && v.level() == 0)) {
                scope.slots[k] = in.lazy(bd.value(), scope);
            }
        }
    }

    static Env let(Interpreter in, Attrs a, Env env) {
        Env scope = env.child(a.bindings().size());
        fill(in, a.bindings(), scope, env);
        return scope;
    }
}
