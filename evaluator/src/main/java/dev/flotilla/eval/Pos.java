package dev.flotilla.eval;

/** A source position: file (or a pseudo-name such as "(string)"), 1-based line and column. */
public record Pos(String file, int line, int column) {
    public static final Pos NONE = new Pos("", 0, 0);

    public boolean known() {
        return line > 0;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
