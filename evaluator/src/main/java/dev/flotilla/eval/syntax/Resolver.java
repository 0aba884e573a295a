package dev.flotilla.eval.syntax;

import dev.flotilla.eval.ParseException;
import dev.flotilla.eval.syntax.Expr.*;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Static scoping (Nix's bindVars): resolves every variable to (levels up, slot) in the runtime
 * environment chain, or marks it as coming from an enclosing {@code with}. A variable that is
 * neither bound nor under a {@code with} is an "undefined variable" error at parse time.
 * The runtime layout that {@code Interpreter} relies on is documented at each case.
 */
public final class Resolver {

    /** One static scope; {@code names == null} marks a {@code with} scope. */
    public record Scope(Scope parent, Map<String, Integer> names) {
        public static Scope of(Scope parent, List<String> names) {
            Map<String, Integer> m = new HashMap<>();
            for (int k = 0; k < names.size(); k++) m.put(names.get(k), k);
            return new Scope(parent, m);
        }

        boolean isWith() {
            return names == null;
        }
    }

    private Resolver() {}

    public static Expr resolve(Expr e, Scope scope) {
        return switch (e) {
            case IntLit x -> x;
            case FloatLit x -> x;
            case StrLit x -> x;
            case PathLit x -> x;
            case CurPos x -> x;
            case Var v -> var(v, scope);
            case Select s -> new Select(s.pos(), resolve(s.target(), scope), path(s.path(), scope),
                    s.orDefault() == null ? null : resolve(s.orDefault(), scope));
            case HasAttr h -> new HasAttr(h.pos(), resolve(h.target(), scope), path(h.path(), scope));
            case Attrs a -> attrs(a, scope);
            case ListLit l -> new ListLit(l.pos(), all(l.items(), scope));
            case Lambda l -> lambda(l, scope);
            case Call c -> new Call(c.pos(), resolve(c.fn(), scope), all(c.args(), scope));
            case Let l -> let(l, scope);
            case With w -> new With(w.pos(), resolve(w.scope(), scope), resolve(w.body(), new Scope(scope, null)));
            case If i -> new If(i.pos(), resolve(i.cond(), scope), resolve(i.then(), scope), resolve(i.otherwise(), scope));
            case Assert a -> new Assert(a.pos(), resolve(a.cond(), scope), resolve(a.body(), scope));
            case Not n -> new Not(n.pos(), resolve(n.operand(), scope));
            case BinOp b -> new BinOp(b.pos(), b.op(), resolve(b.left(), scope), resolve(b.right(), scope));
            case Concat c -> new Concat(c.pos(), c.forceString(), all(c.parts(), scope), c.positions());
        };
    }

    private static Expr var(Var v, Scope scope) {
        int level = 0;
        boolean underWith = false;
        for (Scope s = scope; s != null; s = s.parent(), level++) {
            if (s.isWith()) {
                underWith = true;
                continue;
            }
            Integer idx = s.names().get(v.name());
            if (idx != null) return new Var(v.pos(), v.name(), level, idx, false);
        }
        if (!underWith) throw new ParseException(v.pos(), "undefined variable '" + v.name() + "'");
        return new Var(v.pos(), v.name(), 0, 0, true);
    }

    private static List<Expr> all(List<Expr> es, Scope scope) {
        List<Expr> out = new ArrayList<>(es.size());
        for (Expr x : es) out.add(resolve(x, scope));
        return List.copyOf(out);
    }

    private static List<AttrName> path(List<AttrName> path, Scope scope) {
        if (path.stream().allMatch(AttrName::isStatic)) return path;
        List<AttrName> out = new ArrayList<>(path.size());
        for (AttrName n : path) out.add(n.isStatic() ? n : new AttrName(null, resolve(n.dynamic(), scope)));
        return List.copyOf(out);
    }

    /** rec sets get one environment whose slots are the static bindings, in order. */
    private static Expr attrs(Attrs a, Scope scope) {
        Scope inner = a.rec() ? Scope.of(scope, a.bindings().stream().map(Binding::name).toList()) : scope;
        return new Attrs(a.pos(), a.rec(), bindings(a.bindings(), inner, scope), dynamics(a.dynamics(), inner));
    }

    private static List<Binding> bindings(List<Binding> bs, Scope inner, Scope outer) {
        List<Binding> out = new ArrayList<>(bs.size());
        for (Binding b : bs) {
            Expr value = resolve(b.value(), b.inherited() ? outer : inner);
            if (value instanceof Lambda l && !b.inherited()) value = l.named(b.name());
            out.add(new Binding(b.name(), value, b.inherited(), b.pos()));
        }
        return List.copyOf(out);
    }

    private static List<DynamicBinding> dynamics(List<DynamicBinding> ds, Scope scope) {
        List<DynamicBinding> out = new ArrayList<>(ds.size());
        for (DynamicBinding d : ds) out.add(new DynamicBinding(resolve(d.name(), scope), resolve(d.value(), scope), d.pos()));
        return List.copyOf(out);
    }

    /** let: like a rec set whose slots are the bindings; the body runs in that environment. */
    private static Expr let(Let l, Scope scope) {
        Scope inner = Scope.of(scope, l.bindings().bindings().stream().map(Binding::name).toList());
        Attrs a = l.bindings();
        Attrs resolved = new Attrs(a.pos(), true, bindings(a.bindings(), inner, scope), List.of());
        return new Let(l.pos(), resolved, resolve(l.body(), inner));
    }

    /** Lambda slots: the formals in (sorted) order, then the {@code @} name; or just the plain argument. */
    private static Expr lambda(Lambda l, Scope scope) {
        List<String> names = new ArrayList<>();
        if (l.formals() != null) l.formals().formals().forEach(f -> names.add(f.name()));
        if (l.arg() != null) names.add(l.arg());
        Scope inner = Scope.of(scope, names);
        Formals f = null;
        if (l.formals() != null) {
            List<Formal> fs = new ArrayList<>();
            for (Formal x : l.formals().formals()) {
                fs.add(new Formal(x.name(), x.defaultValue() == null ? null : resolve(x.defaultValue(), inner), x.pos()));
            }
            f = new Formals(List.copyOf(fs), l.formals().ellipsis());
        }
        return new Lambda(l.pos(), l.arg(), f, resolve(l.body(), inner));
    }
}
