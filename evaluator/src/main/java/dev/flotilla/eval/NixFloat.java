package dev.flotilla.eval;

public record NixFloat(double value) implements Value {
    public String typeOf() {
        return "float";
    }

    public String showType() {
        return "a float";
    }
}
