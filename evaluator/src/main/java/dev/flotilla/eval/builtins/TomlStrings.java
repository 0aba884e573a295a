package dev.flotilla.eval.builtins;

/**
 * The four TOML string forms (basic, literal, and their multi-line variants) with escapes and
 * the control-character rules. Each method starts at the opening quote and leaves the cursor
 * after the closing one. Also used for quoted keys.
 */
final class TomlStrings {
    private final TomlCursor in;

    TomlStrings(TomlCursor in) {
        this.in = in;
    }

    String basicString() {
        in.pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (in.atEnd() || in.peek() == '\n') throw in.error("unterminated string");
            char c = in.text.charAt(in.pos++);
            if (c == '"') return sb.toString();
            if (c == '\\') {
                escape(sb);
            } else {
                checkStringChar(c);
                sb.append(c);
            }
        }
    }

    String multiLineBasicString() {
        in.pos += 3;
        skipFirstNewline();
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (in.atEnd()) throw in.error("unterminated string");
            if (in.lookingAt("\"\"\"")) {
                // up to two quotes may directly precede the closing delimiter
                int extra = 0;
                while (extra < 2 && in.pos + 3 + extra < in.text.length() + 0 && in.text.charAt(in.pos + 3 + extra) == '"') extra++;
                sb.append("\"".repeat(extra));
                in.pos += 3 + extra;
                return sb.toString();
            }
            char c = in.text.charAt(in.pos++);
            if (c == '\\') {
                if (lineEndingBackslash()) continue;
                escape(sb);
            } else {
                if (c != '\n' && !(c == '\r' && in.peek() == '\n')) checkStringChar(c);
                sb.append(c);
            }
        }
    }

    /** After a backslash in a multi-line basic string: if only whitespace follows up to a newline, skip it and all following whitespace. */
    private boolean lineEndingBackslash() {
        int j = in.pos;
        while (j < in.text.length() && (in.text.charAt(j) == ' ' || in.text.charAt(j) == '\t')) j++;
        if (j < in.text.length() && (in.text.charAt(j) == '\n' || in.text.startsWith("\r\n", j))) {
            while (j < in.text.length() && " \t\r\n".indexOf(in.text.charAt(j)) >= 0) j++;
            in.pos = j;
            return true;
        }
        return false;
    }

    private void skipFirstNewline() {
        if (in.peek() == '\n') {
            in.pos++;
        } else if (in.lookingAt("\r\n")) {
            in.pos += 2;
        }
    }

    String literalString() {
        in.pos++;
        int start = in.pos;
        while (true) {
            if (in.atEnd() || in.peek() == '\n') throw in.error("unterminated string");
            char c = in.text.charAt(in.pos++);
            if (c == '\'') return in.text.substring(start, in.pos - 1);
            checkStringChar(c);
        }
    }

    String multiLineLiteralString() {
        in.pos += 3;
        skipFirstNewline();
        int start = in.pos;
        while (true) {
            if (in.atEnd()) throw in.error("unterminated string");
            if (in.lookingAt("'''")) {
                int extra = 0;
                while (extra < 2 && in.pos + 3 + extra < in.text.length() && in.text.charAt(in.pos + 3 + extra) == '\'') extra++;
                String text = in.text.substring(start, in.pos + extra);
                in.pos += 3 + extra;
                return text;
            }
            char c = in.text.charAt(in.pos++);
            if (c != '\n' && !(c == '\r' && in.peek() == '\n')) checkStringChar(c);
        }
    }

    private void checkStringChar(char c) {
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            in.pos--;
            throw in.error("control character in a string");
        }
    }

    private void escape(StringBuilder sb) {
        if (in.atEnd()) throw in.error("unterminated string");
        char e = in.text.charAt(in.pos++);
        switch (e) {
            case 'b' -> sb.append('\b');
            case 't' -> sb.append('\t');
            case 'n' -> sb.append('\n');
            case 'f' -> sb.append('\f');
            case 'r' -> sb.append('\r');
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case 'u' -> sb.appendCodePoint(hexEscape(4));
            case 'U' -> sb.appendCodePoint(hexEscape(8));
            default -> {
                in.pos--;
                throw in.error("invalid escape sequence '\\" + e + "'");
            }
        }
    }

    private int hexEscape(int digits) {
        if (in.pos + digits > in.text.length()) throw in.error("incomplete unicode escape");
        String hex = in.text.substring(in.pos, in.pos + digits);
        for (char h : hex.toCharArray()) {
            if (Character.digit(h, 16) < 0) throw in.error("invalid unicode escape");
        }
        long cp = Long.parseLong(hex, 16);
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) throw in.error("unicode escape is not a scalar value");
        in.pos += digits;
        return (int) cp;
    }
}
