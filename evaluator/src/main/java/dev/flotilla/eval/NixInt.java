package dev.flotilla.eval;

/** A 64-bit integer; arithmetic wraps around on overflow as in Nix 2.8. */
public record NixInt(long value) implements Value {
    public String typeOf() {
        return "int";
    }

    public String showType() {
        return "an integer";
    }
}
