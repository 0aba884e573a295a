package dev.flotilla.eval.builtins;

import dev.flotilla.eval.Bytes;
import dev.flotilla.eval.Coercion;
import dev.flotilla.eval.Coercion.Mode;
import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Force;
import dev.flotilla.eval.Interpreter;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixInt;
import dev.flotilla.eval.NixPath;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Value;
import dev.flotilla.eval.store.Hashes;
import dev.flotilla.eval.syntax.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** String functions; every result keeps the string context of its inputs. */
final class StringBuiltins {
    private StringBuiltins() {}

    static void register(Registry r) {
        r.add("toString", 1, StringBuiltins::toStringFn);
        r.add("substring", 3, StringBuiltins::substring);
        r.add("stringLength", 1, StringBuiltins::stringLength);
        r.add("replaceStrings", 3, StringBuiltins::replaceStrings);
        r.add("concatStringsSep", 2, StringBuiltins::concatStringsSep);
        r.add("baseNameOf", 1, StringBuiltins::baseNameOf);
        r.add("dirOf", 1, StringBuiltins::dirOf);
        r.add("hashString", 2, StringBuiltins::hashString);
    }

    static Value toStringFn(Interpreter in, Lazy[] a, Pos pos) {
        return Coercion.toNixString(in, a[0], Mode.TO_STRING, false, pos);
    }

    static Value substring(Interpreter in, Lazy[] a, Pos pos) {
        long start = Force.integer(a[0], pos);
        long len = Force.integer(a[1], pos);
        NixString s = Coercion.toNixString(in, a[2], Mode.INTERPOLATE, true, pos);
        if (start < 0) throw new EvalException(pos, "negative start position in 'substring'");
        String v = s.value();
        if (start >= v.length()) return new NixString("", s.context());
        long end = len < 0 ? v.length() : Math.min(v.length(), start + len);
        return new NixString(v.substring((int) start, (int) end), s.context());
    }

    static Value stringLength(Interpreter in, Lazy[] a, Pos pos) {
        return new NixInt(Coercion.toNixString(in, a[0], Mode.INTERPOLATE, true, pos).value().length());
    }

    static Value replaceStrings(Interpreter in, Lazy[] a, Pos pos) {
        List<String> from = new ArrayList<>();
        for (Lazy x : Force.list(a[0], pos).items()) from.add(Force.string(x, pos).value());
        List<NixString> to = new ArrayList<>();
        for (Lazy x : Force.list(a[1], pos).items()) to.add(Force.string(x, pos));
        if (from.size() != to.size()) {
            throw new EvalException(pos, "'from' and 'to' arguments to 'replaceStrings' have different lengths");
        }
        NixString subject = Force.string(a[2], pos);
        String s = subject.value();
        Set<String> ctx = new HashSet<>(subject.context());
        StringBuilder res = new StringBuilder();
        int p = 0;
        while (p <= s.length()) {
            boolean found = false;
            for (int k = 0; k < from.size(); k++) {
                String f = from.get(k);
                if (!s.startsWith(f, p)) continue;
                found = true;
                res.append(to.get(k).value());
                ctx.addAll(to.get(k).context());
                if (f.isEmpty()) {
                    if (p < s.length()) res.append(s.charAt(p));
                    p++;
                } else {
                    p += f.length();
                }
                break;
            }
            if (!found) {
                if (p < s.length()) res.append(s.charAt(p));
                p++;
            }
        }
        return new NixString(res.toString(), ctx);
    }

    static Value concatStringsSep(Interpreter in, Lazy[] a, Pos pos) {
        NixString sep = Force.string(a[0], pos);
        Set<String> ctx = new HashSet<>(sep.context());
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (Lazy x : Force.list(a[1], pos).items()) {
            if (!first) sb.append(sep.value());
            first = false;
            sb.append(Coercion.coerce(in, x, ctx, Mode.INTERPOLATE, true, pos));
        }
        return new NixString(sb.toString(), ctx);
    }

    static Value baseNameOf(Interpreter in, Lazy[] a, Pos pos) {
        NixString s = Coercion.toNixString(in, a[0], Mode.INTERPOLATE, false, pos);
        return new NixString(Paths.baseNameOf(s.value()), s.context());
    }

    static Value dirOf(Interpreter in, Lazy[] a, Pos pos) {
        Value v = a[0].force();
        if (v instanceof NixPath p) return new NixPath(Paths.dirOf(p.path()));
        NixString s = Coercion.toNixString(in, v, Mode.INTERPOLATE, false, pos);
        return new NixString(Paths.dirOf(s.value()), s.context());
    }

    static Value hashString(Interpreter in, Lazy[] a, Pos pos) {
        String algo = Force.stringNoContext(a[0], pos);
        if (!Hashes.known(algo)) throw new EvalException(pos, "unknown hash algorithm '" + algo + "'");
        String s = Force.string(a[1], pos).value();
        return new NixString(Hashes.hex(Hashes.digest(algo, Bytes.raw(s))));
    }
}
