package dev.flotilla.eval;

public enum NixNull implements Value {
    NULL;

    public String typeOf() {
        return "null";
    }

    public String showType() {
        return "null";
    }
}
