package dev.flotilla.eval;

/**
 * A source position: 1-based line and column in a file, or in text given on the command line or
 * stdin. As in Nix 2.8, a position in such text carries the text itself as its {@code file}
 * (so {@code unsafeGetAttrPos} and {@code --xml} show it) and prints as {@code (string)}.
 */
public record Pos(String file, int line, int column, Origin origin) {
    public static final Pos NONE = new Pos("", 0, 0);

    /** Where the source came from. */
    public enum Origin { FILE, STRING, STDIN }

    /** The pseudo file names that parse entry points take for text from {@code -E} and stdin. */
    public static final String STRING_NAME = "(string)";
    public static final String STDIN_NAME = "(stdin)";

    public Pos(String file, int line, int column) {
        this(file, line, column, Origin.FILE);
    }

    /** The origin a parse entry point's file name stands for. */
    public static Origin originOf(String name) {
        return switch (name) {
            case STRING_NAME -> Origin.STRING;
            case STDIN_NAME -> Origin.STDIN;
            default -> Origin.FILE;
        };
    }

    public boolean known() {
        return line > 0;
    }

    /** How Nix names the source in an error's "at" line: the file, «string» or «stdin» (as bytes). */
    public String source() {
        return switch (origin) {
            case FILE -> file;
            case STRING -> Bytes.fromJava("\u00abstring\u00bb");
            case STDIN -> Bytes.fromJava("\u00abstdin\u00bb");
        };
    }

    @Override
    public String toString() {
        return (origin == Origin.FILE ? file : STRING_NAME) + ":" + line + ":" + column;
    }
}
