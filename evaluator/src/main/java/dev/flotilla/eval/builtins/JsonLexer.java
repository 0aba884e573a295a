package dev.flotilla.eval.builtins;

import java.math.BigInteger;

/**
 * The lexer of {@link JsonReader}, step for step the nlohmann JSON library's (which Nix 2.8 parses
 * with): it counts lines and columns, remembers what it read since the current literal, string or
 * number began, and words its errors as that library does. Strings are byte strings (one char per byte).
 */
final class JsonLexer {
    static final int EOF = -1;

    enum Token {
        TRUE("true literal"), FALSE("false literal"), NULL("null literal"), STRING("string literal"),
        UNSIGNED("number literal"), INTEGER("number literal"), FLOAT("number literal"),
        BEGIN_ARRAY("'['"), BEGIN_OBJECT("'{'"), END_ARRAY("']'"), END_OBJECT("'}'"),
        NAME_SEPARATOR("':'"), VALUE_SEPARATOR("','"), PARSE_ERROR("<parse error>"), END_OF_INPUT("end of input"),
        LITERAL_OR_VALUE("'[', '{', or a literal"), UNINITIALIZED("<uninitialized>");

        final String description;

        Token(String description) {
            this.description = description;
        }
    }

    /** Thrown with the library's own text; fromJSON adds its frame. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private final String in;
    private int next;
    private int current = EOF;
    private boolean ungot;
    private long charsTotal, charsLine, lines;
    private final StringBuilder tokenString = new StringBuilder();
    private final StringBuilder buffer = new StringBuilder();
    private String errorMessage = "";
    private long unsignedValue;
    private long integerValue;
    private double floatValue;

    JsonLexer(String in) {
        this.in = in;
    }

    /** The string just scanned (valid after {@link Token#STRING}). */
    String stringValue() {
        return buffer.toString();
    }

    /** The number just scanned, by kind. */
    long unsignedValue() {
        return unsignedValue;
    }

    long integerValue() {
        return integerValue;
    }

    double floatValue() {
        return floatValue;
    }

    private int get() {
        charsTotal++;
        charsLine++;
        if (ungot) {
            ungot = false;
        } else {
            current = next < in.length() ? in.charAt(next++) & 0xff : EOF;
        }
        if (current != EOF) tokenString.append((char) current);
        if (current == '\n') {
            lines++;
            charsLine = 0;
        }
        return current;
    }

    private void unget() {
        ungot = true;
        charsTotal--;
        if (charsLine == 0) {
            if (lines > 0) lines--;
        } else {
            charsLine--;
        }
        if (current != EOF) tokenString.setLength(tokenString.length() - 1);
    }

    private void reset() {
        buffer.setLength(0);
        tokenString.setLength(0);
        if (current != EOF) tokenString.append((char) current);
    }

    Token scan() {
        if (charsTotal == 0 && !skipBom()) {
            errorMessage = "invalid BOM; must be 0xEF 0xBB 0xBF if given";
            return Token.PARSE_ERROR;
        }
        do {
            get();
        } while (current == ' ' || current == '\t' || current == '\n' || current == '\r');
        return switch (current) {
            case '[' -> Token.BEGIN_ARRAY;
            case ']' -> Token.END_ARRAY;
            case '{' -> Token.BEGIN_OBJECT;
            case '}' -> Token.END_OBJECT;
            case ':' -> Token.NAME_SEPARATOR;
            case ',' -> Token.VALUE_SEPARATOR;
            case 't' -> literal("true", Token.TRUE);
            case 'f' -> literal("false", Token.FALSE);
            case 'n' -> literal("null", Token.NULL);
            case '"' -> string();
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> number();
            case 0, EOF -> Token.END_OF_INPUT;
            default -> {
                errorMessage = "invalid literal";
                yield Token.PARSE_ERROR;
            }
        };
    }

    private boolean skipBom() {
        if (get() == 0xEF) return get() == 0xBB && get() == 0xBF;
        unget();
        return true;
    }

    private Token literal(String word, Token t) {
        for (int k = 1; k < word.length(); k++) {
            if (get() != word.charAt(k)) {
                errorMessage = "invalid literal";
                return Token.PARSE_ERROR;
            }
        }
        return t;
    }

    private Token string() {
        reset();
        while (true) {
            int c = get();
            switch (c) {
                case EOF -> {
                    errorMessage = "invalid string: missing closing quote";
                    return Token.PARSE_ERROR;
                }
                case '"' -> {
                    return Token.STRING;
                }
                case '\\' -> {
                    int e = get();
                    switch (e) {
                        case '"' -> buffer.append('"');
                        case '\\' -> buffer.append('\\');
                        case '/' -> buffer.append('/');
                        case 'b' -> buffer.append('\b');
                        case 'f' -> buffer.append('\f');
                        case 'n' -> buffer.append('\n');
                        case 'r' -> buffer.append('\r');
                        case 't' -> buffer.append('\t');
                        case 'u' -> {
                            if (!unicodeEscape()) return Token.PARSE_ERROR;
                        }
                        default -> {
                            errorMessage = "invalid string: forbidden character after backslash";
                            return Token.PARSE_ERROR;
                        }
                    }
                }
                default -> {
                    if (c < 0x20) {
                        errorMessage = controlMessage(c);
                        return Token.PARSE_ERROR;
                    }
                    if (c < 0x80) {
                        buffer.append((char) c);
                    } else if (!utf8(c)) {
                        errorMessage = "invalid string: ill-formed UTF-8 byte";
                        return Token.PARSE_ERROR;
                    }
                }
            }
        }
    }

    /** The byte ranges that may follow a UTF-8 lead byte, per the library's check. */
    private boolean utf8(int lead) {
        int[] ranges;
        if (lead >= 0xC2 && lead <= 0xDF) ranges = new int[] {0x80, 0xBF};
        else if (lead == 0xE0) ranges = new int[] {0xA0, 0xBF, 0x80, 0xBF};
        else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) ranges = new int[] {0x80, 0xBF, 0x80, 0xBF};
        else if (lead == 0xED) ranges = new int[] {0x80, 0x9F, 0x80, 0xBF};
        else if (lead == 0xF0) ranges = new int[] {0x90, 0xBF, 0x80, 0xBF, 0x80, 0xBF};
        else if (lead >= 0xF1 && lead <= 0xF3) ranges = new int[] {0x80, 0xBF, 0x80, 0xBF, 0x80, 0xBF};
        else if (lead == 0xF4) ranges = new int[] {0x80, 0x8F, 0x80, 0xBF, 0x80, 0xBF};
        else return false;
        buffer.append((char) lead);
        for (int k = 0; k < ranges.length; k += 2) {
            int c = get();
            if (c < ranges[k] || c > ranges[k + 1]) return false;
            buffer.append((char) c);
        }
        return true;
    }

    private int codepoint() {
        int cp = 0;
        for (int shift : new int[] {12, 8, 4, 0}) {
            int c = get();
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else return -1;
            cp += d << shift;
        }
        return cp;
    }

    private boolean unicodeEscape() {
        int cp = codepoint();
        if (cp == -1) {
            errorMessage = "invalid string: '\\u' must be followed by 4 hex digits";
            return false;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (get() == '\\' && get() == 'u') {
                int low = codepoint();
                if (low == -1) {
                    errorMessage = "invalid string: '\\u' must be followed by 4 hex digits";
                    return false;
                }
                if (low < 0xDC00 || low > 0xDFFF) {
                    errorMessage = "invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF";
                    return false;
                }
                cp = (cp << 10) + low - 0x35FDC00;
            } else {
                errorMessage = "invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF";
                return false;
            }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            errorMessage = "invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF";
            return false;
        }
        if (cp < 0x80) {
            buffer.append((char) cp);
        } else if (cp <= 0x7FF) {
            buffer.append((char) (0xC0 | (cp >> 6))).append((char) (0x80 | (cp & 0x3F)));
        } else if (cp <= 0xFFFF) {
            buffer.append((char) (0xE0 | (cp >> 12))).append((char) (0x80 | ((cp >> 6) & 0x3F)))
                    .append((char) (0x80 | (cp & 0x3F)));
        } else {
            buffer.append((char) (0xF0 | (cp >> 18))).append((char) (0x80 | ((cp >> 12) & 0x3F)))
                    .append((char) (0x80 | ((cp >> 6) & 0x3F))).append((char) (0x80 | (cp & 0x3F)));
        }
        return true;
    }

    private static final String[] CONTROL_NAMES = {"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT",
        "LF", "VT", "FF", "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB",
        "ESC", "FS", "GS", "RS", "US"};

    private static String controlName(int c) {
        return String.format("U+%04X (%s)", c, CONTROL_NAMES[c]);
    }

    private static String controlMessage(int c) {
        String hex = String.format("\\u%04X", c);
        String shortForm = switch (c) {
            case 0x08 -> " or \\b";
            case 0x09 -> " or \\t";
            case 0x0A -> " or \\n";
            case 0x0C -> " or \\f";
            case 0x0D -> " or \\r";
            default -> "";
        };
        return "invalid string: control character " + controlName(c) + " must be escaped to " + hex + shortForm;
    }

    private Token number() {
        reset();
        Token type = Token.UNSIGNED;
        int c = current;
        buffer.append((char) c);
        String state;
        if (c == '-') {
            type = Token.INTEGER;
            c = get();
            if (c == '0') state = "zero";
            else if (isDigit(c)) state = "any1";
            else {
                errorMessage = "invalid number; expected digit after '-'";
                return Token.PARSE_ERROR;
            }
            buffer.append((char) c);
        } else {
            state = c == '0' ? "zero" : "any1";
        }
        if (state.equals("any1")) {
            while (isDigit(c = get())) buffer.append((char) c);
        } else {
            c = get();
        }
        if (c == '.') {
            type = Token.FLOAT;
            buffer.append('.');
            c = get();
            if (!isDigit(c)) {
                errorMessage = "invalid number; expected digit after '.'";
                return Token.PARSE_ERROR;
            }
            buffer.append((char) c);
            while (isDigit(c = get())) buffer.append((char) c);
        }
        if (c == 'e' || c == 'E') {
            type = Token.FLOAT;
            buffer.append((char) c);
            c = get();
            if (c == '+' || c == '-') {
                buffer.append((char) c);
                c = get();
                if (!isDigit(c)) {
                    errorMessage = "invalid number; expected digit after exponent sign";
                    return Token.PARSE_ERROR;
                }
            } else if (!isDigit(c)) {
                errorMessage = "invalid number; expected '+', '-', or digit after exponent";
                return Token.PARSE_ERROR;
            }
            buffer.append((char) c);
            while (isDigit(c = get())) buffer.append((char) c);
        }
        unget();
        String text = buffer.toString();
        if (type == Token.UNSIGNED) {
            BigInteger v = new BigInteger(text);
            if (v.bitLength() <= 64) {
                unsignedValue = v.longValue();
                return Token.UNSIGNED;
            }
        } else if (type == Token.INTEGER) {
            BigInteger v = new BigInteger(text);
            if (v.bitLength() < 64) {
                integerValue = v.longValue();
                return Token.INTEGER;
            }
        }
        floatValue = Double.parseDouble(text);
        return Token.FLOAT;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** The library's syntax error, {@code last} being the token that did not fit {@code context}. */
    Failure error(Token last, Token expected, String context) {
        StringBuilder msg = new StringBuilder("syntax error ");
        if (!context.isEmpty()) msg.append("while parsing ").append(context).append(' ');
        msg.append("- ");
        if (last == Token.PARSE_ERROR) {
            msg.append(errorMessage).append("; last read: '").append(lastRead()).append('\'');
        } else {
            msg.append("unexpected ").append(last.description);
        }
        if (expected != Token.UNINITIALIZED) msg.append("; expected ").append(expected.description);
        return new Failure("[json.exception.parse_error.101] parse error at line " + (lines + 1) + ", column "
                + charsLine + ": " + msg);
    }

    /** What was read since the current token began, control characters shown as {@code <U+001F>}. */
    String lastRead() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < tokenString.length(); k++) {
            char c = tokenString.charAt(k);
            if (c <= 0x1F) sb.append(String.format("<U+%04X>", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

}
