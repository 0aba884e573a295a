package dev.flotilla.eval.print;

import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixBool;
import dev.flotilla.eval.NixFloat;
import dev.flotilla.eval.NixFunction;
import dev.flotilla.eval.NixInt;
import dev.flotilla.eval.NixList;
import dev.flotilla.eval.NixNull;
import dev.flotilla.eval.NixPath;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Thunk;
import dev.flotilla.eval.Value;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Prints values the way Nix 2.8 does ({@code nix-instantiate --eval}, {@code trace}): unevaluated
 * parts show as {@code <CODE>}; a non-empty set or list that was printed before (also the one
 * being printed, in a cycle) shows as {@code «repeated»}. Never forces anything.
 *
 * <p>"Printed before" is Nix's pointer identity: of the attribute set, of a list of three or
 * more elements, and of the value cell for a one- or two-element list (Nix stores those inside
 * the cell, so a copied cell is a different list). Here a cell is the thunk the value was reached
 * through.
 */
public final class ValuePrinter {
    private static final String REPEATED = dev.flotilla.eval.Bytes.fromJava("\u00abrepeated\u00bb");

    private final StringBuilder out = new StringBuilder();
    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private ValuePrinter() {}

    /** {@code forceTop}: force the top-level thunk (the printed value itself) first. */
    public static String print(Lazy v, boolean forceTop) {
        ValuePrinter p = new ValuePrinter();
        p.print(forceTop ? v.force() : v);
        return p.out.toString();
    }

    private void print(Lazy l) {
        Value v = l instanceof Thunk t ? t.peek() : (Value) l;
        if (v == null) {
            out.append("<CODE>");
            return;
        }
        switch (v) {
            case NixInt i -> out.append(i.value());
            case NixFloat f -> out.append(FloatFormat.format(f.value()));
            case NixBool b -> out.append(b.value() ? "true" : "false");
            case NixNull n -> out.append("null");
            case NixString s -> quote(out, s.value());
            case NixPath p -> out.append(p.path());
            case NixAttrs a -> {
                if (!a.isEmpty() && !seen.add(a)) {
                    out.append(REPEATED);
                    return;
                }
                out.append("{ ");
                for (int k = 0; k < a.size(); k++) {
                    if (isVarName(a.name(k))) out.append(a.name(k));
                    else quote(out, a.name(k));
                    out.append(" = ");
                    print(a.value(k));
                    out.append("; ");
                }
                out.append('}');
            }
            case NixList list -> {
                if (list.size() > 0 && !seen.add(list.size() > 2 ? list : l)) {
                    out.append(REPEATED);
                    return;
                }
                out.append("[ ");
                for (Lazy x : list.items()) {
                    print(x);
                    out.append(' ');
                }
                out.append(']');
            }
            case NixFunction.Lambda f -> out.append("<LAMBDA>");
            case NixFunction.PrimOp f -> out.append("<PRIMOP>");
            case NixFunction.PrimOpApp f -> out.append("<PRIMOP-APP>");
        }
    }

    /** Names printed without quotes (Nix's isVarName; keywords are not special). */
    static boolean isVarName(String s) {
        if (s.isEmpty()) return false;
        char c = s.charAt(0);
        if ((c >= '0' && c <= '9') || c == '-' || c == '\'') return false;
        for (char x : s.toCharArray()) {
            if (!((x >= 'a' && x <= 'z') || (x >= 'A' && x <= 'Z') || (x >= '0' && x <= '9') || x == '_' || x == '-' || x == '\'')) return false;
        }
        return true;
    }

    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"', '\\' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '$' -> out.append(k + 1 < s.length() && s.charAt(k + 1) == '{' ? "\\$" : "$");
                default -> out.append(c);
            }
        }
        out.append('"');
    }
}
