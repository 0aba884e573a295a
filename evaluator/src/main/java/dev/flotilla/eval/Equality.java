package dev.flotilla.eval;

/** Nix's {@code ==} and the ordering behind {@code <} and {@code builtins.sort}/{@code lessThan}. */
public final class Equality {
    private Equality() {}

    public static boolean equal(Lazy la, Lazy lb, Pos pos) {
        if (la == lb) return true; // Nix compares value cells by identity first, even functions
        return equalValues(la.force(), lb.force(), pos);
    }

    /**
     * The {@code ==} operator: its operands are fresh values in Nix, so there is no identity
     * shortcut at the top ({@code f == f} is false for a function, NaN differs from itself).
     */
    public static boolean equalValues(Value a, Value b, Pos pos) {
        if (a instanceof NixInt x && b instanceof NixFloat y) return x.value() == y.value();
        if (a instanceof NixFloat x && b instanceof NixInt y) return x.value() == y.value();
        return switch (a) {
            case NixInt x -> b instanceof NixInt y && x.value() == y.value();
            case NixFloat x -> b instanceof NixFloat y && x.value() == y.value();
            case NixBool x -> b instanceof NixBool y && x.value() == y.value();
            case NixNull x -> b == NixNull.NULL;
            case NixString x -> b instanceof NixString y && x.value().equals(y.value());
            case NixPath x -> b instanceof NixPath y && x.path().equals(y.path());
            case NixList x -> b instanceof NixList y && lists(x, y, pos);
            case NixAttrs x -> b instanceof NixAttrs y && attrs(x, y, pos);
            case NixFunction f -> false;
        };
    }

    private static boolean lists(NixList x, NixList y, Pos pos) {
        if (x.size() != y.size()) return false;
        for (int k = 0; k < x.size(); k++) {
            if (!equal(x.get(k), y.get(k), pos)) return false;
        }
        return true;
    }

    private static boolean attrs(NixAttrs x, NixAttrs y, Pos pos) {
        if (isDerivation(x) && isDerivation(y)) {
            Lazy ox = x.get("outPath"), oy = y.get("outPath");
            if (ox != null && oy != null) return equal(ox, oy, pos);
        }
        if (x.size() != y.size()) return false;
        for (int k = 0; k < x.size(); k++) {
            if (!x.name(k).equals(y.name(k)) || !equal(x.value(k), y.value(k), pos)) return false;
        }
        return true;
    }

    public static boolean isDerivation(Value v) {
        if (!(v instanceof NixAttrs a)) return false;
        Lazy t = a.get("type");
        return t != null && t.force() instanceof NixString s && s.value().equals("derivation");
    }

    /** {@code a < b}. */
    public static boolean lessThan(Lazy la, Lazy lb, Pos pos) {
        Value a = la.force();
        Value b = lb.force();
        if (a instanceof NixInt x && b instanceof NixFloat y) return x.value() < y.value();
        if (a instanceof NixFloat x && b instanceof NixInt y) return x.value() < y.value();
        if (a instanceof NixInt x && b instanceof NixInt y) return x.value() < y.value();
        if (a instanceof NixFloat x && b instanceof NixFloat y) return x.value() < y.value();
        if (a instanceof NixString x && b instanceof NixString y) return x.value().compareTo(y.value()) < 0;
        if (a instanceof NixPath x && b instanceof NixPath y) return x.path().compareTo(y.path()) < 0;
        if (a instanceof NixList x && b instanceof NixList y) {
            for (int k = 0; ; k++) {
                if (k == y.size()) return false;
                if (k == x.size()) return true;
                if (!equal(x.get(k), y.get(k), pos)) return lessThan(x.get(k), y.get(k), pos);
            }
        }
        throw new EvalException(pos, "cannot compare " + a.showType() + " with " + b.showType()).withoutShownPosition();
    }
}
