package dev.flotilla.eval.syntax;

import dev.flotilla.eval.Pos;
import dev.flotilla.eval.syntax.Expr.*;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The order in which Nix 2.8 would have interned the names of a parsed expression, which decides
 * how {@code --parse} prints a let's bindings and a function's formals (Nix compares its symbols by
 * address, and addresses mostly follow creation). The names the evaluator interns at start-up come
 * first; then the expression's, in the order Nix's bottom-up parser creates them: a binding's name
 * before its value, but a formal's name after its default and a function's argument after its body.
 * Nix's allocator can reorder a few; this is the rule, not its accidents.
 */
public final class SymbolOrder {

    private final Map<String, Integer> rank = new LinkedHashMap<>();

    private SymbolOrder() {}

    /**
     * @param internedAtStartup names the evaluator creates before parsing anything
     * @param parsedAtStartup   expressions it parses before the user's (their names come next)
     */
    public static ToIntFunction<String> of(List<String> internedAtStartup, List<Expr> parsedAtStartup, Expr e) {
        SymbolOrder order = new SymbolOrder();
        internedAtStartup.forEach(order::intern);
        parsedAtStartup.forEach(order::walk);
        order.walk(e);
        return name -> order.rank.getOrDefault(name, -1);
    }

    private void intern(String name) {
        rank.putIfAbsent(name, rank.size());
    }

    private void walk(Expr e) {
        switch (e) {
            case IntLit i -> {}
            case FloatLit f -> {}
            case StrLit s -> {}
            case PathLit p -> {}
            case CurPos c -> {}
            case Var v -> intern(v.name());
            case Select s -> {
                walk(s.target());
                path(s.path());
                if (s.orDefault() != null) walk(s.orDefault());
            }
            case HasAttr h -> {
                walk(h.target());
                path(h.path());
            }
            case Attrs a -> attrs(a);
            case ListLit l -> l.items().forEach(this::walk);
            case Lambda l -> {
                if (l.formals() != null) {
                    for (Formal f : inSourceOrder(l.formals().formals(), Formal::pos)) {
                        if (f.defaultValue() != null) walk(f.defaultValue());
                        intern(f.name());
                    }
                }
                walk(l.body());
                if (l.arg() != null) intern(l.arg());
            }
            case Call c -> {
                walk(c.fn());
                // Desugared comparisons swap their operands; the parser met them in source order.
                inSourceOrder(c.args(), Expr::pos).forEach(this::walk);
            }
            case Let l -> {
                attrs(l.bindings());
                walk(l.body());
            }
            case With w -> {
                walk(w.scope());
                walk(w.body());
            }
            case If i -> {
                walk(i.cond());
                walk(i.then());
                walk(i.otherwise());
            }
            case Assert a -> {
                walk(a.cond());
                walk(a.body());
            }
            case Not n -> walk(n.operand());
            case BinOp b -> inSourceOrder(List.of(b.left(), b.right()), Expr::pos).forEach(this::walk);
            case Concat c -> c.parts().forEach(this::walk);
        }
    }

    private void attrs(Attrs a) {
        for (Binding b : inSourceOrder(a.bindings(), Binding::pos)) {
            intern(b.name());
            if (!b.inherited()) walk(b.value());
        }
        for (DynamicBinding d : inSourceOrder(a.dynamics(), DynamicBinding::pos)) {
            walk(d.name());
            walk(d.value());
        }
    }

    private void path(List<AttrName> path) {
        for (AttrName n : path) {
            if (n.isStatic()) intern(n.name());
            else walk(n.dynamic());
        }
    }

    private static <T> List<T> inSourceOrder(List<T> items, java.util.function.Function<T, Pos> pos) {
        return items.stream()
                .sorted(Comparator.comparing(pos, Comparator.comparingInt(Pos::line).thenComparingInt(Pos::column)))
                .toList();
    }
}
