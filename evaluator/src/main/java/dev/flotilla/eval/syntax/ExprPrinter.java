package dev.flotilla.eval.syntax;

import dev.flotilla.eval.print.FloatFormat;
import dev.flotilla.eval.syntax.Expr.*;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Prints a syntax tree the way {@code nix-instantiate --parse} does (Nix 2.8's {@code Expr::show}):
 * fully parenthesised, operators Nix desugars shown as the builtin calls they became
 * ({@code __sub}, {@code __lessThan}), {@code a.b = 1} as nested sets.
 *
 * <p>A set's attributes print sorted by name. A let's bindings and a function's formals print in
 * the order of their names in Nix's symbol table, which Nix 2.8 compares by address: roughly the
 * order names were first met, those it interns at start-up (builtins, its derivation code) first.
 * {@code symbolOrder} supplies that rank; names it does not know sort after those it does, by name.
 */
public final class ExprPrinter {

    private final ToIntFunction<String> symbolOrder;
    private final StringBuilder out = new StringBuilder();

    private ExprPrinter(ToIntFunction<String> symbolOrder) {
        this.symbolOrder = symbolOrder;
    }

    /** {@code symbolOrder} ranks names as Nix's symbol table would; negative for an unknown name. */
    public static String print(Expr e, ToIntFunction<String> symbolOrder) {
        ExprPrinter p = new ExprPrinter(symbolOrder);
        p.show(e);
        return p.out.toString();
    }

    private void show(Expr e) {
        switch (e) {
            case IntLit i -> out.append(i.value());
            case FloatLit f -> out.append(FloatFormat.format(f.value()));
            case StrLit s -> string(s.value());
            case PathLit p -> out.append(p.path());
            case CurPos c -> out.append("__curPos");
            case Var v -> id(v.name());
            case Select s -> {
                out.append('(');
                show(s.target());
                out.append(").");
                attrPath(s.path());
                if (s.orDefault() != null) {
                    out.append(" or (");
                    show(s.orDefault());
                    out.append(')');
                }
            }
            case HasAttr h -> {
                out.append("((");
                show(h.target());
                out.append(") ? ");
                attrPath(h.path());
                out.append(')');
            }
            case Attrs a -> attrs(a);
            case ListLit l -> {
                out.append("[ ");
                for (Expr item : l.items()) {
                    out.append('(');
                    show(item);
                    out.append(") ");
                }
                out.append(']');
            }
            case Lambda l -> lambda(l);
            case Call c -> {
                out.append('(');
                show(c.fn());
                for (Expr arg : c.args()) {
                    out.append(' ');
                    show(arg);
                }
                out.append(')');
            }
            case Let l -> {
                out.append("(let ");
                for (Binding b : bySymbol(l.bindings().bindings(), Binding::name)) {
                    if (b.inherited()) {
                        out.append("inherit ");
                        id(b.name());
                        out.append("; ");
                    } else {
                        id(b.name());
                        out.append(" = ");
                        show(b.value());
                        out.append("; ");
                    }
                }
                out.append("in ");
                show(l.body());
                out.append(')');
            }
            case With w -> {
                out.append("(with ");
                show(w.scope());
                out.append("; ");
                show(w.body());
                out.append(')');
            }
            case If i -> {
                out.append("(if ");
                show(i.cond());
                out.append(" then ");
                show(i.then());
                out.append(" else ");
                show(i.otherwise());
                out.append(')');
            }
            case Assert a -> {
                out.append("assert ");
                show(a.cond());
                out.append("; ");
                show(a.body());
            }
            case Not n -> {
                out.append("(! ");
                show(n.operand());
                out.append(')');
            }
            case BinOp b -> {
                out.append('(');
                show(b.left());
                out.append(' ').append(operator(b.op())).append(' ');
                show(b.right());
                out.append(')');
            }
            case Concat c -> {
                out.append('(');
                boolean first = true;
                for (Expr part : c.parts()) {
                    if (!first) out.append(" + ");
                    first = false;
                    show(part);
                }
                out.append(')');
            }
        }
    }

    private void attrs(Attrs a) {
        if (a.rec()) out.append("rec ");
        out.append("{ ");
        // Nix sorts a set's attributes by name for printing, but not a let's bindings.
        for (Binding b : a.bindings()) {
            if (b.inherited()) {
                out.append("inherit ");
                id(b.name());
                // Nix 2.8 prints a space before this semicolon (and only this one).
                out.append(" ; ");
            } else {
                id(b.name());
                out.append(" = ");
                show(b.value());
                out.append("; ");
            }
        }
        for (DynamicBinding d : a.dynamics()) {
            out.append("\"${");
            show(d.name());
            out.append("}\" = ");
            show(d.value());
            out.append("; ");
        }
        out.append('}');
    }

    private void lambda(Lambda l) {
        out.append('(');
        if (l.formals() != null) {
            out.append("{ ");
            boolean first = true;
            for (Formal f : bySymbol(l.formals().formals(), Formal::name)) {
                if (!first) out.append(", ");
                first = false;
                id(f.name());
                if (f.defaultValue() != null) {
                    out.append(" ? ");
                    show(f.defaultValue());
                }
            }
            if (l.formals().ellipsis()) {
                if (!first) out.append(", ");
                out.append("...");
            }
            out.append(" }");
            if (l.arg() != null) out.append(" @ ");
        }
        if (l.arg() != null) id(l.arg());
        out.append(": ");
        show(l.body());
        out.append(')');
    }

    private void attrPath(List<AttrName> path) {
        boolean first = true;
        for (AttrName n : path) {
            if (!first) out.append('.');
            first = false;
            if (n.isStatic()) {
                id(n.name());
            } else {
                out.append("\"${");
                show(n.dynamic());
                out.append("}\"");
            }
        }
    }

    private <T> List<T> bySymbol(List<T> items, java.util.function.Function<T, String> name) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingInt((T item) -> rank(name.apply(item))).thenComparing(name));
        return sorted;
    }

    private int rank(String name) {
        int r = symbolOrder.applyAsInt(name);
        return r < 0 ? Integer.MAX_VALUE : r;
    }

    private static String operator(Op op) {
        return switch (op) {
            case EQ -> "==";
            case NEQ -> "!=";
            case AND -> "&&";
            case OR -> "||";
            case IMPL -> "->";
            case UPDATE -> "//";
            case CONCAT_LISTS -> "++";
        };
    }

    /** An identifier as Nix shows it: bare when it lexes as one, else as a string. */
    private void id(String s) {
        if (s.isEmpty()) {
            out.append("\"\"");
        } else if (s.equals("if")) {
            // Nix quotes this keyword (and, by its own admission, no other).
            out.append("\"if\"");
        } else if (isBareIdentifier(s)) {
            out.append(s);
        } else {
            string(s);
        }
    }

    private static boolean isBareIdentifier(String s) {
        char c0 = s.charAt(0);
        if (!(isLetter(c0) || c0 == '_')) return false;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (!(isLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '\'' || c == '-')) return false;
        }
        return true;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private void string(String s) {
        out.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"', '\\', '$' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        out.append('"');
    }
}
