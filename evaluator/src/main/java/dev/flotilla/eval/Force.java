package dev.flotilla.eval;

/** Forcing a lazy value to an expected type, with Nix's "value is X while Y was expected" errors. */
public final class Force {
    private Force() {}

    public static EvalException typeError(Value v, String expected, Pos pos) {
        return new EvalException(pos, "value is " + v.showType() + " while " + expected + " was expected");
    }

    public static NixAttrs attrs(Lazy l, Pos pos) {
        Value v = l.force();
        if (v instanceof NixAttrs a) return a;
        throw typeError(v, "a set", pos);
    }

    public static NixList list(Lazy l, Pos pos) {
        Value v = l.force();
        if (v instanceof NixList a) return a;
        throw typeError(v, "a list", pos);
    }

    public static long integer(Lazy l, Pos pos) {
        Value v = l.force();
        if (v instanceof NixInt i) return i.value();
        throw typeError(v, "an integer", pos);
    }

    /** An int or float, widened to double. */
    public static double number(Lazy l, Pos pos) {
        Value v = l.force();
        if (v instanceof NixInt i) return i.value();
        if (v instanceof NixFloat f) return f.value();
        throw typeError(v, "a float", pos);
    }

    public static boolean bool(Lazy l, Pos pos) {
        Value v = l.force();
        if (v instanceof NixBool b) return b.value();
        throw typeError(v, "a Boolean", pos);
    }

    public static NixString string(Lazy l, Pos pos) {
        Value v = l.force();
        if (v instanceof NixString s) return s;
        throw typeError(v, "a string", pos);
    }

    /** A string that must not refer to store paths (e.g. an attribute name, a regex). */
    public static String stringNoContext(Lazy l, Pos pos) {
        NixString s = string(l, pos);
        if (!s.context().isEmpty()) {
            throw new EvalException(pos, "the string '" + s.value() + "' is not allowed to refer to a store path (such as '"
                    + s.context().iterator().next().replaceFirst("^[=!][^!]*!?", "") + "')");
        }
        return s.value();
    }

    public static NixFunction function(Lazy l, Pos pos) {
        Value v = l.force();
        if (v instanceof NixFunction f) return f;
        if (v instanceof NixAttrs a && a.has("__functor")) return null;
        throw typeError(v, "a function", pos);
    }

    public static boolean isFunction(Value v) {
        return v instanceof NixFunction || (v instanceof NixAttrs a && a.has("__functor"));
    }
}
