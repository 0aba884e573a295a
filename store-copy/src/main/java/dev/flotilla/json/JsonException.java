package dev.flotilla.json;

/**
 * Bad JSON text (then {@link #line()}, {@link #column()} and {@link #offset()} say where), or a value
 * that is not what the reader expected (a missing field, a wrong type; then they are -1).
 * Unchecked: accessors are used inside lambdas, and every caller turns it into its own error anyway.
 */
public final class JsonException extends RuntimeException {
    private final String reason;
    private final int offset;
    private final int line;
    private final int column;

    public JsonException(String reason) {
        super(reason);
        this.reason = reason;
        this.offset = -1;
        this.line = -1;
        this.column = -1;
    }

    JsonException(String reason, int offset, int line, int column) {
        super("line " + line + ", column " + column + " (offset " + offset + "): " + reason);
        this.reason = reason;
        this.offset = offset;
        this.line = line;
        this.column = column;
    }

    /** The message without the position. */
    public String reason() {
        return reason;
    }

    /** Byte offset of the error in the input, from 0; -1 when not a syntax error. */
    public int offset() {
        return offset;
    }

    /** Line of the error, from 1; -1 when not a syntax error. */
    public int line() {
        return line;
    }

    /** Column (in characters) of the error, from 1; -1 when not a syntax error. */
    public int column() {
        return column;
    }
}
