package dev.flotilla.eval.builtins;

import dev.flotilla.eval.builtins.TomlReader.TomlException;

/**
 * The read position in a TOML document, shared by {@link TomlReader} (structure) and
 * {@link TomlStrings} (string literals), with the lexical bits both need: whitespace,
 * comments, and errors that name the line and column of the position.
 */
final class TomlCursor {
    final String text;
    /** Index of the next unread character; readers advance it directly. */
    int pos;

    TomlCursor(String text) {
        this.text = text;
    }

    TomlException error(String what) {
        int line = 1, col = 1;
        for (int k = 0; k < pos && k < text.length(); k++) {
            if (text.charAt(k) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new TomlException(what + " at line " + line + ", column " + col);
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    boolean lookingAt(String t) {
        return text.startsWith(t, pos);
    }

    void spaces() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) pos++;
    }

    /** Skips a {@code #} comment up to (not including) the newline. */
    void comment() {
        if (peek() != '#') return;
        while (pos < text.length() && text.charAt(pos) != '\n') {
            char c = text.charAt(pos);
            if (c < 0x20 && c != '\t' && !(c == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') || c == 0x7f) {
                throw error("control character in comment");
            }
            pos++;
        }
    }
}
