package dev.flotilla.eval;

import java.util.ArrayList;
import java.util.List;

/** {@code -A a.b.0.c}: selects along an attribute path, auto-calling functions on the way as Nix does. */
public final class AttrPath {
    private AttrPath() {}

    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : path.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) throw new EvalException(Pos.NONE, "missing closing quote in selection path '" + path + "'");
        out.add(cur.toString());
        return out;
    }

    public static Value find(Interpreter in, Value root, String path, NixAttrs autoArgs) {
        if (path.isEmpty()) return root;
        Value v = root;
        for (String part : split(Bytes.fromJava(path))) {
            v = AutoCall.call(in, v, autoArgs);
            if (part.matches("[0-9]+")) {
                if (!(v instanceof NixList l)) {
                    throw new EvalException(Pos.NONE, "the expression selected by the selection path '" + path + "' should be a list but is " + v.showType());
                }
                int k = Integer.parseInt(part);
                if (k >= l.size()) throw new EvalException(Pos.NONE, "list index " + k + " in selection path '" + path + "' is out of range");
                v = l.get(k).force();
            } else {
                if (!(v instanceof NixAttrs a)) {
                    throw new EvalException(Pos.NONE, "the expression selected by the selection path '" + path + "' should be a set but is " + v.showType());
                }
                Lazy next = a.get(part);
                if (next == null) throw new EvalException(Pos.NONE, "attribute '" + part + "' in selection path '" + path + "' not found");
                v = next.force();
            }
        }
        return v;
    }
}
