package dev.flotilla.json;

import dev.flotilla.json.JsonValue.JsonBoolean;
import dev.flotilla.json.JsonValue.JsonNull;
import dev.flotilla.json.JsonValue.JsonNumber;
import dev.flotilla.json.JsonValue.JsonString;

import java.util.Arrays;
import java.util.Map;

/**
 * Writes UTF-8 JSON, compact or pretty. Strings escape {@code "}, {@code \} and the control
 * characters (the short forms where JSON has one, else backslash-u and four hex digits); everything else is written as
 * UTF-8 as it is, except a lone surrogate, which has no UTF-8 form and is written as its escape.
 * The pretty layout is the one Jackson's default printer made, which the files already written
 * (system manifests, whose bytes their store paths hash) have: two-space indents, {@code "name" : value},
 * arrays on one line ({@code [ 1, 2 ]}), empty ones as {@code { }} and {@code [ ]}.
 */
final class JsonWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final boolean pretty;
    private byte[] buf = new byte[128];
    private int len;

    private JsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    static byte[] write(JsonValue v, boolean pretty) {
        JsonWriter w = new JsonWriter(pretty);
        w.value(v, 0);
        return Arrays.copyOf(w.buf, w.len);
    }

    /** {@code objects} counts the objects around {@code v}: the indent of pretty output (arrays add none). */
    private void value(JsonValue v, int objects) {
        switch (v) {
            case JsonObject o -> object(o, objects);
            case JsonArray a -> array(a, objects);
            case JsonString s -> string(s.value());
            case JsonNumber n -> ascii(n.text());
            case JsonBoolean b -> ascii(b.value() ? "true" : "false");
            case JsonNull n -> ascii("null");
        }
    }

    private void object(JsonObject o, int objects) {
        if (o.size() == 0) {
            ascii(pretty ? "{ }" : "{}");
            return;
        }
        put('{');
        boolean first = true;
        for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
            if (!first) {
                put(',');
            }
            first = false;
            newline(objects + 1);
            string(e.getKey());
            ascii(pretty ? " : " : ":");
            value(e.getValue(), objects + 1);
        }
        newline(objects);
        put('}');
    }

    private void array(JsonArray a, int objects) {
        if (a.size() == 0) {
            ascii(pretty ? "[ ]" : "[]");
            return;
        }
        ascii(pretty ? "[ " : "[");
        for (int i = 0; i < a.size(); i++) {
            if (i > 0) {
                ascii(pretty ? ", " : ",");
            }
            value(a.get(i), objects);
        }
        ascii(pretty ? " ]" : "]");
    }

    private void newline(int indent) {
        if (pretty) {
            put('\n');
            for (int i = 0; i < indent; i++) {
                ascii("  ");
            }
        }
    }

    private void string(String s) {
        put('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') {
                    put('\\');
                }
                put(c);
            } else if (c < 0x20) {
                switch (c) {
                    case '\b' -> ascii("\\b");
                    case '\f' -> ascii("\\f");
                    case '\n' -> ascii("\\n");
                    case '\r' -> ascii("\\r");
                    case '\t' -> ascii("\\t");
                    default -> unicodeEscape(c);
                }
            } else if (c < 0x800) {
                put(0xC0 | c >> 6);
                put(0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                put(0xF0 | cp >> 18);
                put(0x80 | cp >> 12 & 0x3F);
                put(0x80 | cp >> 6 & 0x3F);
                put(0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(c);
            } else {
                put(0xE0 | c >> 12);
                put(0x80 | c >> 6 & 0x3F);
                put(0x80 | c & 0x3F);
            }
        }
        put('"');
    }

    private void unicodeEscape(char c) {
        ascii("\\u");
        put(HEX[c >> 12 & 0xF]);
        put(HEX[c >> 8 & 0xF]);
        put(HEX[c >> 4 & 0xF]);
        put(HEX[c & 0xF]);
    }

    private void ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            put(s.charAt(i));
        }
    }

    private void put(int b) {
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[len++] = (byte) b;
    }
}
