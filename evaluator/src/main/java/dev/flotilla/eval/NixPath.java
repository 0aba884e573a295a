package dev.flotilla.eval;

/** An absolute, canonical path (bytes as ISO-8859-1 chars, like {@link NixString}). */
public record NixPath(String path) implements Value {
    public String typeOf() {
        return "path";
    }

    public String showType() {
        return "a path";
    }
}
