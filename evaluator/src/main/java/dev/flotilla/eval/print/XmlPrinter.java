package dev.flotilla.eval.print;

import dev.flotilla.eval.Equality;
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
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Thunk;
import dev.flotilla.eval.Value;
import dev.flotilla.eval.syntax.Expr;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code --xml} and {@code builtins.toXML}: Nix's XML rendering, with or without source locations. */
public final class XmlPrinter {
    private final boolean strict;
    private final boolean location;
    private final Set<String> context;
    private final Set<String> drvsSeen = new HashSet<>();
    private final StringBuilder out = new StringBuilder();

    private XmlPrinter(boolean strict, boolean location, Set<String> context) {
        this.strict = strict;
        this.location = location;
        this.context = context;
    }

    public static String print(Lazy v, boolean strict, boolean location, Set<String> context) {
        XmlPrinter p = new XmlPrinter(strict, location, context);
        p.out.append("<?xml version='1.0' encoding='utf-8'?>\n<expr>\n");
        p.value(v, 1);
        p.out.append("</expr>\n");
        return p.out.toString();
    }

    private void value(Lazy l, int depth) {
        Value v = strict ? l.force() : l instanceof Thunk t ? t.peek() : (Value) l;
        if (v == null) {
            empty(depth, "unevaluated", Map.of());
            return;
        }
        switch (v) {
            case NixInt i -> empty(depth, "int", Map.of("value", Long.toString(i.value())));
            case NixFloat f -> empty(depth, "float", Map.of("value", FloatFormat.format(f.value())));
            case NixBool b -> empty(depth, "bool", Map.of("value", b.value() ? "true" : "false"));
            case NixNull n -> empty(depth, "null", Map.of());
            case NixString s -> {
                context.addAll(s.context());
                empty(depth, "string", Map.of("value", s.value()));
            }
            case NixPath p -> empty(depth, "path", Map.of("value", p.path()));
            case NixAttrs a -> attrs(a, depth);
            case NixList list -> {
                open(depth, "list", Map.of());
                for (Lazy x : list.items()) value(x, depth + 1);
                close(depth, "list");
            }
            case NixFunction.Lambda f -> lambda(f.expr(), depth);
            case NixFunction f -> empty(depth, "unevaluated", Map.of());
        }
    }

    private void attrs(NixAttrs a, int depth) {
        if (!Equality.isDerivation(a)) {
            open(depth, "attrs", Map.of());
            showAttrs(a, depth + 1);
            close(depth, "attrs");
            return;
        }
        Map<String, String> xa = new TreeMap<>();
        String drvPath = stringAttr(a, "drvPath");
        if (drvPath != null) xa.put("drvPath", drvPath);
        String outPath = stringAttr(a, "outPath");
        if (outPath != null) xa.put("outPath", outPath);
        open(depth, "derivation", xa);
        if (drvPath != null && drvsSeen.add(drvPath)) showAttrs(a, depth + 1);
        else empty(depth + 1, "repeated", Map.of());
        close(depth, "derivation");
    }

    private String stringAttr(NixAttrs a, String name) {
        Lazy l = a.get(name);
        if (l == null) return null;
        Value v = strict ? l.force() : l instanceof Thunk t ? t.peek() : (Value) l;
        return v instanceof NixString s ? s.value() : null;
    }

    private void showAttrs(NixAttrs a, int depth) {
        for (int k = 0; k < a.size(); k++) {
            Map<String, String> xa = new TreeMap<>();
            xa.put("name", a.name(k));
            addLocation(xa, a.position(a.name(k)));
            open(depth, "attr", xa);
            value(a.value(k), depth + 1);
            close(depth, "attr");
        }
    }

    private void lambda(Expr.Lambda f, int depth) {
        Map<String, String> xa = new TreeMap<>();
        addLocation(xa, f.pos());
        open(depth, "function", xa);
        if (f.formals() != null) {
            Map<String, String> pa = new TreeMap<>();
            if (f.formals().ellipsis()) pa.put("ellipsis", "1");
            if (f.arg() != null) pa.put("name", f.arg());
            open(depth + 1, "attrspat", pa);
            for (Expr.Formal x : f.formals().formals()) empty(depth + 2, "attr", Map.of("name", x.name()));
            close(depth + 1, "attrspat");
        } else {
            empty(depth + 1, "varpat", Map.of("name", f.arg()));
        }
        close(depth, "function");
    }

    private void addLocation(Map<String, String> xa, Pos p) {
        if (!location || p == null || !p.known()) return;
        xa.put("path", p.file());
        xa.put("line", Integer.toString(p.line()));
        xa.put("column", Integer.toString(p.column()));
    }

    private void open(int depth, String name, Map<String, String> attrs) {
        out.append("  ".repeat(depth)).append('<').append(name);
        writeAttrs(attrs);
        out.append(">\n");
    }

    private void close(int depth, String name) {
        out.append("  ".repeat(depth)).append("</").append(name).append(">\n");
    }

    private void empty(int depth, String name, Map<String, String> attrs) {
        out.append("  ".repeat(depth)).append('<').append(name);
        writeAttrs(attrs);
        out.append(" />\n");
    }

    private void writeAttrs(Map<String, String> attrs) {
        new TreeMap<>(attrs).forEach((k, v) -> {
            out.append(' ').append(k).append("=\"");
            escape(v);
            out.append('"');
        });
    }

    private void escape(String s) {
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("&quot;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\n' -> out.append("&#xA;");
                case '\r' -> out.append("&#xD;");
                case '\t' -> out.append("&#x9;");
                default -> out.append(c);
            }
        }
    }
}
