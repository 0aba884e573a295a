package dev.flotilla.eval;

public record NixBool(boolean value) implements Value {
    public static final NixBool TRUE = new NixBool(true);
    public static final NixBool FALSE = new NixBool(false);

    public static NixBool of(boolean b) {
        return b ? TRUE : FALSE;
    }

    public String typeOf() {
        return "bool";
    }

    public String showType() {
        return "a Boolean";
    }
}
