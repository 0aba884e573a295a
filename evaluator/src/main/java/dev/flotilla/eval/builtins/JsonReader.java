package dev.flotilla.eval.builtins;

import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixBool;
import dev.flotilla.eval.NixFloat;
import dev.flotilla.eval.NixInt;
import dev.flotilla.eval.NixList;
import dev.flotilla.eval.NixNull;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Value;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * {@code builtins.fromJSON}'s reader. Nix 2.8 parses with the nlohmann JSON library, and its
 * error messages are that library's ("[json.exception.parse_error.101] parse error at line 1,
 * column 2: syntax error while parsing value - invalid literal; last read: 'fo'"), so this reader
 * follows the same steps: a lexer that counts lines and columns and remembers what it read since
 * the last literal, string or number began, and a parser that names what it was parsing.
 * Input and output strings are byte strings (one char per byte).
 */
final class JsonReader {
    private static final int EOF = -1;

    private enum Token {
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
    private Token last;
    private long unsignedValue;
    private long integerValue;
    private double floatValue;

    private JsonReader(String in) {
        this.in = in;
    }

    /** Parses {@code text}; throws {@link Failure} with nlohmann's message. */
    static Value parse(String text) {
        return new JsonReader(text).document();
    }

    // ---------------------------------------------------------------- lexer

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

    private Token scan() {
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

    // ---------------------------------------------------------------- parser

    private Token nextToken() {
        last = scan();
        return last;
    }

    private Failure error(Token expected, String context) {
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
    private String lastRead() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < tokenString.length(); k++) {
            char c = tokenString.charAt(k);
            if (c <= 0x1F) sb.append(String.format("<U+%04X>", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    /** An array or object being read: its items, and the key of an object's next value. */
    private static final class Open {
        final boolean array;
        final List<Lazy> items = new ArrayList<>();
        final NixAttrs.Builder attrs = NixAttrs.builder();
        String key;

        Open(boolean array) {
            this.array = array;
        }
    }

    private Value document() {
        Deque<Open> open = new ArrayDeque<>();
        nextToken();
        Value done = null;
        while (true) {
            Value v;
            switch (last) {
                case BEGIN_OBJECT -> {
                    if (nextToken() == Token.END_OBJECT) {
                        v = NixAttrs.EMPTY;
                        break;
                    }
                    Open o = new Open(false);
                    o.key = key();
                    open.push(o);
                    nextToken();
                    continue;
                }
                case BEGIN_ARRAY -> {
                    if (nextToken() == Token.END_ARRAY) {
                        v = new NixList(List.of());
                        break;
                    }
                    open.push(new Open(true));
                    continue;
                }
                case FLOAT -> {
                    if (!Double.isFinite(floatValue)) {
                        throw new Failure("[json.exception.out_of_range.406] number overflow parsing '" + lastRead() + "'");
                    }
                    v = new NixFloat(floatValue);
                }
                case TRUE -> v = NixBool.TRUE;
                case FALSE -> v = NixBool.FALSE;
                case NULL -> v = NixNull.NULL;
                case UNSIGNED -> v = new NixInt(unsignedValue); // Nix keeps the low 64 bits
                case INTEGER -> v = new NixInt(integerValue);
                case STRING -> v = new NixString(cString(buffer));
                case PARSE_ERROR -> throw error(Token.UNINITIALIZED, "value");
                default -> throw error(Token.LITERAL_OR_VALUE, "value");
            }
            // a value is complete: add it to what encloses it, closing what it completes
            while (true) {
                if (open.isEmpty()) {
                    done = v;
                    break;
                }
                Open o = open.peek();
                if (o.array) {
                    o.items.add(v);
                    if (nextToken() == Token.VALUE_SEPARATOR) {
                        nextToken();
                        break;
                    }
                    if (last != Token.END_ARRAY) throw error(Token.END_ARRAY, "array");
                    open.pop();
                    v = new NixList(o.items);
                } else {
                    o.attrs.put(o.key, v);
                    if (nextToken() == Token.VALUE_SEPARATOR) {
                        nextToken();
                        o.key = key();
                        nextToken();
                        break;
                    }
                    if (last != Token.END_OBJECT) throw error(Token.END_OBJECT, "object");
                    open.pop();
                    v = o.attrs.build();
                }
            }
            if (done != null) break;
        }
        if (nextToken() != Token.END_OF_INPUT) throw error(Token.END_OF_INPUT, "value");
        return done;
    }

    /** Nix keeps strings as C strings: a decoded {@code \\u0000} ends the value there. */
    private static String cString(CharSequence s) {
        String t = s.toString();
        int nul = t.indexOf('\0');
        return nul < 0 ? t : t.substring(0, nul);
    }

    /** At a key: the current token must be a string, followed by ':'. */
    private String key() {
        if (last != Token.STRING) throw error(Token.STRING, "object key");
        String key = buffer.toString();
        if (nextToken() != Token.NAME_SEPARATOR) throw error(Token.NAME_SEPARATOR, "object separator");
        return key;
    }

    /** fromJSON's error: the library's message, from the call. */
    static EvalException evalError(Failure f, Pos pos) {
        return new EvalException(pos, f.getMessage()).withoutShownPosition().addTrace(pos, "while decoding a JSON string");
    }
}
