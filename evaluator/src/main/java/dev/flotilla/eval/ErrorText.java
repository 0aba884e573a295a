package dev.flotilla.eval;

import java.io.IOException;
import java.nio.file.Files;

/**
 * The pieces of Nix 2.8's error layout: "at file:line:col:" with the lines of code around the
 * position and a caret under the column, the 7-space indentation of continuation lines, and the
 * tab expansion its logger applies. Text is byte chars (see {@link Bytes}).
 */
final class ErrorText {
    private ErrorText() {}

    /** The lines before, at and after a position; null where Nix would show none. */
    record Lines(String prev, String at, String next) {}

    /** {@code at SOURCE:L:C:} then, when the source can be read, its lines around the position. */
    static void appendPosition(StringBuilder sb, Pos pos) {
        sb.append("at ").append(pos.source()).append(':').append(pos.line());
        if (pos.column() > 0) sb.append(':').append(pos.column());
        sb.append(':');
        Lines lines = linesAround(pos);
        if (lines == null) return;
        sb.append('\n');
        if (lines.prev() != null) sb.append('\n').append(codeLine(pos.line() - 1, lines.prev()));
        if (lines.at() != null) {
            sb.append('\n').append(codeLine(pos.line(), lines.at()));
            if (pos.column() > 0) sb.append('\n').append("      |").append(" ".repeat(pos.column())).append('^');
        }
        if (lines.next() != null) sb.append('\n').append(codeLine(pos.line() + 1, lines.next()));
        sb.append('\n');
    }

    private static String codeLine(int number, String code) {
        return String.format(" %5d| ", number) + code;
    }

    static Lines linesAround(Pos pos) {
        if (pos.line() <= 0) return null;
        if (pos.origin() == Pos.Origin.FILE) {
            String src;
            try {
                src = Bytes.of(Files.readAllBytes(Bytes.path(pos.file())));
            } catch (IOException | RuntimeException e) {
                return null;
            }
            return fileLines(src, pos.line());
        }
        return textLines(pos.file(), pos.line());
    }

    /**
     * A file is read line by line, each ended by a newline: an unterminated last line is not
     * shown, and without the line of the position itself nothing is.
     */
    static Lines fileLines(String src, int line) {
        String prev = null, at = null, next = null;
        int start = 0;
        for (int count = 1; ; count++) {
            int nl = src.indexOf('\n', start);
            if (nl < 0) return at == null ? null : new Lines(prev, at, next);
            String text = src.substring(start, nl);
            start = nl + 1;
            if (count == line - 1) prev = text;
            else if (count == line) at = text;
            else if (count == line + 1) return new Lines(prev, at, text);
        }
    }

    /** Text from -E or stdin is read like a stream of getline()s: the last, empty "line" counts. */
    static Lines textLines(String src, int line) {
        String prev = null, at = null, next = null;
        int start = 0;
        for (int count = 1; ; count++) {
            String text;
            boolean end;
            int nl = start < src.length() ? src.indexOf('\n', start) : -1;
            if (nl >= 0) {
                text = src.substring(start, nl);
                start = nl + 1;
                end = false;
            } else {
                text = start < src.length() ? src.substring(start) : "";
                start = src.length();
                end = true;
            }
            if (count == line - 1) prev = text;
            else if (count == line) at = text;
            else if (count == line + 1) {
                next = text;
                break;
            }
            if (end) break;
        }
        return new Lines(prev, at, next);
    }

    /** Drops trailing whitespace. */
    static String chomp(String s) {
        int end = s.length();
        while (end > 0 && " \n\r\t".indexOf(s.charAt(end - 1)) >= 0) end--;
        return s.substring(0, end);
    }

    /**
     * Prefixes the first line with {@code first} and the others with {@code rest}, each line then
     * losing its trailing whitespace (so blank lines stay empty, as in Nix's output).
     */
    static String indent(String first, String rest, String s) {
        StringBuilder sb = new StringBuilder();
        String[] lines = s.split("\n", -1);
        for (int k = 0; k < lines.length; k++) {
            if (k > 0) sb.append('\n');
            sb.append(chomp((k == 0 ? first : rest) + lines[k]));
        }
        return sb.toString();
    }

    /**
     * Nix's logger expands tabs to the next multiple of 8 characters counted from the start of the
     * whole message (not of the line), and drops carriage returns.
     */
    static String filterTabs(String s) {
        if (s.indexOf('\t') < 0 && s.indexOf('\r') < 0) return s;
        StringBuilder sb = new StringBuilder();
        long w = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\t') {
                sb.append(' ');
                w++;
                while (w % 8 != 0) {
                    sb.append(' ');
                    w++;
                }
            } else if (c != '\r') {
                sb.append(c);
                w++;
            }
        }
        return sb.toString();
    }
}
