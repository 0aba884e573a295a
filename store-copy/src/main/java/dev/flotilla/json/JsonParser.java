package dev.flotilla.json;

import dev.flotilla.json.JsonValue.JsonNumber;
import dev.flotilla.json.JsonValue.JsonString;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * A strict RFC 8259 parser over UTF-8 bytes: one value, surrounded by whitespace only. Besides the
 * grammar it refuses invalid UTF-8 (overlong forms, encoded surrogates), duplicate names in an
 * object, and nesting deeper than its limit (it recurses: the limit keeps hostile input from
 * exhausting a small thread stack). A leading byte order mark is skipped, as RFC 8259 §8.1 allows.
 * An escaped lone surrogate (a high one without its low one, or the reverse) is kept as it is, as Java strings can hold one.
 */
final class JsonParser {
    private final byte[] in;
    private final int maxDepth;
    private int pos;
    private int depth;
    private StringBuilder text;   // reused for strings that are not plain ASCII

    private JsonParser(byte[] in, int maxDepth) {
        this.in = in;
        this.maxDepth = maxDepth;
    }

    static JsonValue parse(byte[] in, int maxDepth) {
        JsonParser p = new JsonParser(in, maxDepth);
        if (in.length >= 3 && (in[0] & 0xFF) == 0xEF && (in[1] & 0xFF) == 0xBB && (in[2] & 0xFF) == 0xBF) {
            p.pos = 3;
        }
        p.skipWhitespace();
        JsonValue v = p.value();
        p.skipWhitespace();
        if (p.pos < in.length) {
            throw p.error("unexpected " + p.describe() + " after the value");
        }
        return v;
    }

    /** Whether {@code s} is a number as RFC 8259 spells one: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    static boolean isNumber(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        if (i < n && s.charAt(i) == '0') {
            i++;
        } else if (i < n && s.charAt(i) >= '1' && s.charAt(i) <= '9') {
            i = digits(s, i);
        } else {
            return false;
        }
        if (i < n && s.charAt(i) == '.') {
            int j = digits(s, i + 1);
            if (j == i + 1) {
                return false;
            }
            i = j;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int j = digits(s, i);
            if (j == i) {
                return false;
            }
            i = j;
        }
        return i == n;
    }

    private static int digits(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private JsonValue value() {
        if (pos >= in.length) {
            throw error("unexpected end of input, expected a value");
        }
        return switch (in[pos]) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> new JsonString(string());
            case 't' -> literal("true", JsonValue.TRUE);
            case 'f' -> literal("false", JsonValue.FALSE);
            case 'n' -> literal("null", JsonValue.NULL);
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> number();
            default -> throw error("unexpected " + describe() + ", expected a value");
        };
    }

    private JsonObject object() {
        enter();
        pos++;
        LinkedHashMap<String, JsonValue> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return new JsonObject(members);
        }
        while (true) {
            if (peek() != '"') {
                throw error("unexpected " + describe() + ", expected a string as the member name");
            }
            int nameAt = pos;
            String name = string();
            skipWhitespace();
            if (peek() != ':') {
                throw error("unexpected " + describe() + ", expected ':' after the member name");
            }
            pos++;
            skipWhitespace();
            if (members.putIfAbsent(name, value()) != null) {
                pos = nameAt;
                throw error("duplicate member name \"" + name + "\"");
            }
            skipWhitespace();
            int c = peek();
            if (c == '}') {
                pos++;
                depth--;
                return new JsonObject(members);
            }
            if (c != ',') {
                throw error("unexpected " + describe() + ", expected ',' or '}' in an object");
            }
            pos++;
            skipWhitespace();
        }
    }

    private JsonArray array() {
        enter();
        pos++;
        ArrayList<JsonValue> values = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return new JsonArray(values);
        }
        while (true) {
            values.add(value());
            skipWhitespace();
            int c = peek();
            if (c == ']') {
                pos++;
                depth--;
                return new JsonArray(values);
            }
            if (c != ',') {
                throw error("unexpected " + describe() + ", expected ',' or ']' in an array");
            }
            pos++;
            skipWhitespace();
        }
    }

    private void enter() {
        if (++depth > maxDepth) {
            throw error("nesting deeper than " + maxDepth + " levels");
        }
    }

    private JsonValue literal(String word, JsonValue v) {
        for (int i = 0; i < word.length(); i++) {
            if (pos + i >= in.length || in[pos + i] != word.charAt(i)) {
                throw error("invalid literal (expected " + word + ")");
            }
        }
        pos += word.length();
        return v;
    }

    /** The longest run of number characters, then checked against the grammar as a whole. */
    private JsonNumber number() {
        int start = pos;
        while (pos < in.length && isNumberChar(in[pos])) {
            pos++;
        }
        String s = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
        if (!isNumber(s)) {
            pos = start;
            throw error("invalid number '" + s + "'");
        }
        return new JsonNumber(s);
    }

    private static boolean isNumberChar(byte b) {
        return (b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
    }

    /** The string starting at the opening quote at {@code pos}; leaves {@code pos} after the closing one. */
    private String string() {
        int start = ++pos;
        while (pos < in.length) {   // plain ASCII without escapes: one copy, no buffer
            byte b = in[pos];
            if (b == '"') {
                pos++;
                return new String(in, start, pos - 1 - start, StandardCharsets.ISO_8859_1);
            }
            if (b == '\\' || b < 0x20) {   // b < 0x20 also holds for every non-ASCII byte (negative)
                break;
            }
            pos++;
        }
        StringBuilder sb = text == null ? (text = new StringBuilder()) : text;
        sb.setLength(0);
        for (int i = start; i < pos; i++) {
            sb.append((char) in[i]);
        }
        while (true) {
            if (pos >= in.length) {
                pos = start - 1;
                throw error("unterminated string");
            }
            int b = in[pos] & 0xFF;
            if (b == '"') {
                pos++;
                return sb.toString();
            } else if (b == '\\') {
                escape(sb);
            } else if (b < 0x20) {
                throw error(String.format("control character U+%04X in a string (it must be escaped)", b));
            } else if (b < 0x80) {
                sb.append((char) b);
                pos++;
            } else {
                utf8(sb);
            }
        }
    }

    private void escape(StringBuilder sb) {
        if (pos + 1 >= in.length) {
            throw error("unterminated string");
        }
        byte c = in[pos + 1];
        switch (c) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                int code = 0;
                for (int i = 2; i < 6; i++) {
                    int d = pos + i < in.length ? Character.digit(in[pos + i], 16) : -1;
                    if (d < 0) {
                        throw error("expected four hex digits after \\u");
                    }
                    code = code << 4 | d;
                }
                sb.append((char) code);
                pos += 6;
                return;
            }
            default -> throw error("invalid escape \\" + (c >= 0x20 && c < 0x7F ? String.valueOf((char) c)
                    : String.format("(byte 0x%02X)", c & 0xFF)));
        }
        pos += 2;
    }

    /** One UTF-8 encoded character, checked strictly (RFC 3629: shortest form, no surrogates, at most U+10FFFF). */
    private void utf8(StringBuilder sb) {
        int b0 = in[pos] & 0xFF;
        int more;
        int cp;
        int min;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            more = 1;
            cp = b0 & 0x1F;
            min = 0x80;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            more = 2;
            cp = b0 & 0x0F;
            min = 0x800;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            more = 3;
            cp = b0 & 0x07;
            min = 0x10000;
        } else {
            throw error(String.format("invalid UTF-8 (byte 0x%02X)", b0));
        }
        for (int i = 1; i <= more; i++) {
            if (pos + i >= in.length || (in[pos + i] & 0xC0) != 0x80) {
                throw error("invalid UTF-8 (truncated sequence)");
            }
            cp = cp << 6 | (in[pos + i] & 0x3F);
        }
        if (cp < min || cp > Character.MAX_CODE_POINT || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
            throw error(String.format("invalid UTF-8 (overlong form, surrogate or beyond U+10FFFF: U+%04X)", cp));
        }
        sb.appendCodePoint(cp);
        pos += more + 1;
    }

    private void skipWhitespace() {
        while (pos < in.length && (in[pos] == ' ' || in[pos] == '\n' || in[pos] == '\r' || in[pos] == '\t')) {
            pos++;
        }
    }

    /** The byte at {@code pos}, or -1 at the end. */
    private int peek() {
        return pos < in.length ? in[pos] : -1;
    }

    private String describe() {
        if (pos >= in.length) {
            return "end of input";
        }
        int b = in[pos] & 0xFF;
        return b > 0x20 && b < 0x7F ? "'" + (char) b + "'" : String.format("byte 0x%02X", b);
    }

    /** An error at {@code pos}, with its line and column (in characters: UTF-8 continuation bytes do not count). */
    private JsonException error(String reason) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < pos && i < in.length; i++) {
            if (in[i] == '\n') {
                line++;
                column = 1;
            } else if ((in[i] & 0xC0) != 0x80) {
                column++;
            }
        }
        return new JsonException(reason, pos, line, column);
    }
}
