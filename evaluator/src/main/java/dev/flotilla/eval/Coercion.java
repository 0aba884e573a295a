package dev.flotilla.eval;

import dev.flotilla.eval.syntax.Expr;
import dev.flotilla.eval.syntax.Expr.Concat;
import dev.flotilla.eval.syntax.Paths;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** String coercion ({@code "${x}"}, {@code toString}) and Nix's {@code +} with its int/float/path/string rules. */
public final class Coercion {
    private Coercion() {}

    /** How far a value may be coerced. */
    public enum Mode {
        /** interpolation: strings, paths, sets with __toString/outPath */
        INTERPOLATE,
        /** toString and derivation attributes: also numbers, booleans, null and lists */
        TO_STRING
    }

    /**
     * Coerces to a string, adding store references to {@code context}. Paths are copied to the
     * store when {@code copyToStore}, as in {@code "${./file}"}; otherwise they stay as they are.
     */
    public static String coerce(Interpreter in, Lazy l, Set<String> context, Mode mode, boolean copyToStore, Pos pos) {
        Value v = l.force();
        switch (v) {
            case NixString s -> {
                context.addAll(s.context());
                return s.value();
            }
            case NixPath p -> {
                if (!copyToStore) return p.path();
                String sp = in.session().store().copyPath(p.path(), pos);
                context.add(sp);
                return sp;
            }
            case NixAttrs a -> {
                Lazy f = a.get("__toString");
                if (f != null) {
                    Value r = in.apply(f.force(), a, pos);
                    return coerce(in, r, context, mode, copyToStore, pos);
                }
                Lazy out = a.get("outPath");
                if (out != null) return coerce(in, out, context, mode, copyToStore, pos);
            }
            default -> { }
        }
        if (mode == Mode.TO_STRING) {
            switch (v) {
                case NixInt i -> { return Long.toString(i.value()); }
                case NixFloat f -> { return String.format(Locale.ROOT, "%f", f.value()); }
                case NixBool b -> { return b.value() ? "1" : ""; }
                case NixNull n -> { return ""; }
                case NixList list -> {
                    StringBuilder sb = new StringBuilder();
                    for (int k = 0; k < list.size(); k++) {
                        Value item = list.get(k).force();
                        sb.append(coerce(in, item, context, mode, copyToStore, pos));
                        if (k < list.size() - 1 && !(item instanceof NixList inner && inner.size() == 0)) sb.append(' ');
                    }
                    return sb.toString();
                }
                default -> { }
            }
        }
        throw new EvalException(pos, "cannot coerce " + v.showType() + " to a string");
    }

    /** Coerces to a string with context (interpolation semantics). */
    public static NixString toNixString(Interpreter in, Lazy l, Mode mode, boolean copyToStore, Pos pos) {
        Set<String> ctx = new HashSet<>();
        String s = coerce(in, l, ctx, mode, copyToStore, pos);
        return new NixString(s, ctx);
    }

    /** Coerces to an absolute path string (for {@code readFile}, {@code import}, ...). */
    public static String coercePath(Interpreter in, Lazy l, Pos pos) {
        Set<String> ctx = new HashSet<>();
        String s = coerce(in, l, ctx, Mode.INTERPOLATE, false, pos);
        if (s.isEmpty() || s.charAt(0) != '/') {
            throw new EvalException(pos, "string '" + s + "' doesn't represent an absolute path");
        }
        return s;
    }

    /**
     * The path argument of import, scopedImport, readFile, pathExists, readDir and hashFile, as Nix
     * 2.8's realisePath gets it: a failure to coerce gains a "while realising the context of a
     * path" frame at the call.
     */
    public static String realisePath(Interpreter in, Lazy l, Pos pos) {
        try {
            return coercePath(in, l, pos);
        } catch (EvalException e) {
            throw e.addTrace(pos, "while realising the context of a path");
        }
    }

    /** Nix's {@code ExprConcatStrings}: {@code a + b} and string / path interpolation. */
    static Value concat(Interpreter in, Concat c, Env env) {
        Set<String> ctx = new HashSet<>();
        StringBuilder sb = new StringBuilder();
        Value first = null;
        long n = 0;
        double f = 0;
        boolean isFloat = false;
        boolean first1 = true;
        java.util.List<Expr> parts = c.parts();
        for (int k = 0; k < parts.size(); k++) {
            Expr part = parts.get(k);
            Value v = in.eval(part, env);
            if (first1) first = c.forceString() ? null : v;
            if (first instanceof NixInt || first instanceof NixFloat) {
                if (v instanceof NixInt i) {
                    if (isFloat) f += i.value(); else n += i.value();
                } else if (v instanceof NixFloat x) {
                    if (!isFloat) {
                        isFloat = true;
                        f = n;
                    }
                    f += x.value();
                } else {
                    throw new EvalException(c.positions().get(k), "cannot add " + v.showType() + " to " + (isFloat ? "a float" : "an integer"));
                }
            } else {
                boolean copy = !(first instanceof NixPath);
                sb.append(coerce(in, v, ctx, Mode.INTERPOLATE, copy, c.positions().get(k)));
            }
            first1 = false;
        }
        if (first instanceof NixInt || first instanceof NixFloat) return isFloat ? new NixFloat(f) : new NixInt(n);
        if (first instanceof NixPath) {
            if (!ctx.isEmpty()) {
                throw new EvalException(c.pos(), "a string that refers to a store path cannot be appended to a path");
            }
            return new NixPath(Paths.canon(sb.toString()));
        }
        return new NixString(sb.toString(), ctx);
    }
}
