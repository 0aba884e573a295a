package dev.flotilla.json;

import java.util.Objects;

/**
 * A JSON value: {@link JsonObject}, {@link JsonArray}, or one of the scalars below. Immutable.
 * {@link #toString()} is the compact JSON text, so a value can be shown as is in an error message.
 */
public sealed interface JsonValue permits JsonObject, JsonArray, JsonValue.JsonString, JsonValue.JsonNumber,
        JsonValue.JsonBoolean, JsonValue.JsonNull {

    JsonNull NULL = new JsonNull();
    JsonBoolean TRUE = new JsonBoolean(true);
    JsonBoolean FALSE = new JsonBoolean(false);

    /** A string, or {@link #NULL} for a null reference. */
    static JsonValue of(String s) {
        return s == null ? NULL : new JsonString(s);
    }

    static JsonNumber of(long n) {
        return new JsonNumber(Long.toString(n));
    }

    /** A finite double; written as {@link Double#toString(double)} writes it (e.g. {@code 300.0}). */
    static JsonNumber of(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d);
        }
        return new JsonNumber(Double.toString(d));
    }

    static JsonBoolean of(boolean b) {
        return b ? TRUE : FALSE;
    }

    /** "object", "array", "string", "number", "boolean" or "null": for error messages. */
    String typeName();

    /** This value as an object; {@link JsonException} when it is something else. */
    default JsonObject asObject() {
        if (this instanceof JsonObject o) {
            return o;
        }
        throw Json.mismatch("the value", "an object", this);
    }

    /** This value as an array; {@link JsonException} when it is something else. */
    default JsonArray asArray() {
        if (this instanceof JsonArray a) {
            return a;
        }
        throw Json.mismatch("the value", "an array", this);
    }

    record JsonString(String value) implements JsonValue {
        public JsonString {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String typeName() {
            return "string";
        }

        @Override
        public String toString() {
            return Json.text(this);
        }
    }

    /**
     * A number as its JSON text, so nothing is lost: integers stay exact ({@link #longValue()}),
     * others are read as a double, and big ones keep their digits for whoever needs them.
     */
    record JsonNumber(String text) implements JsonValue {
        public JsonNumber {
            if (!JsonParser.isNumber(text)) {
                throw new IllegalArgumentException("not a JSON number: '" + text + "'");
            }
        }

        /** Whether this is an integer (no fraction, no exponent) that fits in a long. */
        public boolean isLong() {
            if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
                return false;
            }
            try {
                Long.parseLong(text);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        /** The exact integer; {@link JsonException} when this is not one that fits in a long. */
        public long longValue() {
            if (!isLong()) {
                throw new JsonException("expected an integer, got " + text);
            }
            return Long.parseLong(text);
        }

        /** The exact integer; {@link JsonException} when this is not one that fits in an int. */
        public int intValue() {
            long n = longValue();
            if (n != (int) n) {
                throw new JsonException("expected an integer, got " + text + " (out of range)");
            }
            return (int) n;
        }

        public double doubleValue() {
            return Double.parseDouble(text);
        }

        @Override
        public String typeName() {
            return "number";
        }

        @Override
        public String toString() {
            return text;
        }
    }

    record JsonBoolean(boolean value) implements JsonValue {
        @Override
        public String typeName() {
            return "boolean";
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    record JsonNull() implements JsonValue {
        @Override
        public String typeName() {
            return "null";
        }

        @Override
        public String toString() {
            return "null";
        }
    }
}
