package dev.flotilla.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A JSON object: members in insertion (or document) order, names unique. Readers get typed
 * accessors that name the field in their errors: strict ones ({@link #string(String)}: missing,
 * null or another type is a {@link JsonException}) and lenient ones (a fallback or an empty
 * Optional when the field is missing or null, still an error when it has another type), for
 * fields that older writers leave out. Unknown fields are simply never asked for.
 */
public final class JsonObject implements JsonValue {
    public static final JsonObject EMPTY = new JsonObject(new LinkedHashMap<>());

    private final Map<String, JsonValue> members;

    /** Takes ownership of {@code members} (the parser and the builder hand theirs over; nobody else keeps them). */
    JsonObject(LinkedHashMap<String, JsonValue> members) {
        this.members = members;
    }

    /** A copy of {@code members} in their iteration order; null values become {@link JsonValue#NULL}. */
    public static JsonObject of(Map<String, ? extends JsonValue> members) {
        Builder b = builder();
        members.forEach(b::put);
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Map<String, JsonValue> members() {
        return Collections.unmodifiableMap(members);
    }

    public int size() {
        return members.size();
    }

    /** Whether the field is present (possibly null). */
    public boolean has(String name) {
        return members.containsKey(name);
    }

    /** The field as it is (possibly {@link JsonValue#NULL}), empty when missing. */
    public Optional<JsonValue> get(String name) {
        return Optional.ofNullable(members.get(name));
    }

    public String string(String name) {
        return asString(name, required(name));
    }

    public long longValue(String name) {
        return asLong(name, required(name));
    }

    public int intValue(String name) {
        return asInt(name, required(name));
    }

    public boolean bool(String name) {
        return asBool(name, required(name));
    }

    public JsonObject object(String name) {
        return asObject(name, required(name));
    }

    public JsonArray array(String name) {
        return asArray(name, required(name));
    }

    public String string(String name, String fallback) {
        JsonValue v = present(name);
        return v == null ? fallback : asString(name, v);
    }

    public long longValue(String name, long fallback) {
        JsonValue v = present(name);
        return v == null ? fallback : asLong(name, v);
    }

    public int intValue(String name, int fallback) {
        JsonValue v = present(name);
        return v == null ? fallback : asInt(name, v);
    }

    public boolean bool(String name, boolean fallback) {
        JsonValue v = present(name);
        return v == null ? fallback : asBool(name, v);
    }

    public JsonArray array(String name, JsonArray fallback) {
        JsonValue v = present(name);
        return v == null ? fallback : asArray(name, v);
    }

    public Optional<String> optString(String name) {
        JsonValue v = present(name);
        return v == null ? Optional.empty() : Optional.of(asString(name, v));
    }

    public OptionalLong optLong(String name) {
        JsonValue v = present(name);
        return v == null ? OptionalLong.empty() : OptionalLong.of(asLong(name, v));
    }

    public OptionalInt optInt(String name) {
        JsonValue v = present(name);
        return v == null ? OptionalInt.empty() : OptionalInt.of(asInt(name, v));
    }

    public Optional<JsonObject> optObject(String name) {
        JsonValue v = present(name);
        return v == null ? Optional.empty() : Optional.of(asObject(name, v));
    }

    @Override
    public String typeName() {
        return "object";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonObject other && members.equals(other.members);
    }

    @Override
    public int hashCode() {
        return members.hashCode();
    }

    @Override
    public String toString() {
        return Json.text(this);
    }

    /** The field, or null when it is missing or JSON null. */
    private JsonValue present(String name) {
        JsonValue v = members.get(name);
        return v instanceof JsonNull ? null : v;
    }

    private JsonValue required(String name) {
        JsonValue v = members.get(name);
        if (v == null || v instanceof JsonNull) {
            throw new JsonException("field '" + name + "' is " + (v == null ? "missing" : "null"));
        }
        return v;
    }

    private static String asString(String name, JsonValue v) {
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw Json.mismatch("field '" + name + "'", "a string", v);
    }

    private static long asLong(String name, JsonValue v) {
        if (v instanceof JsonNumber n && n.isLong()) {
            return n.longValue();
        }
        throw Json.mismatch("field '" + name + "'", "an integer", v);
    }

    private static int asInt(String name, JsonValue v) {
        long n = asLong(name, v);
        if (n != (int) n) {
            throw Json.mismatch("field '" + name + "'", "a 32-bit integer", v);
        }
        return (int) n;
    }

    private static boolean asBool(String name, JsonValue v) {
        if (v instanceof JsonBoolean b) {
            return b.value();
        }
        throw Json.mismatch("field '" + name + "'", "true or false", v);
    }

    private static JsonObject asObject(String name, JsonValue v) {
        if (v instanceof JsonObject o) {
            return o;
        }
        throw Json.mismatch("field '" + name + "'", "an object", v);
    }

    private static JsonArray asArray(String name, JsonValue v) {
        if (v instanceof JsonArray a) {
            return a;
        }
        throw Json.mismatch("field '" + name + "'", "an array", v);
    }

    /** Builds an object in the order of the puts; a second put of a name replaces the value in place. Single use. */
    public static final class Builder {
        private LinkedHashMap<String, JsonValue> members = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder put(String name, JsonValue value) {
            Objects.requireNonNull(name, "name");
            if (members == null) {
                throw new IllegalStateException("this builder has built its object already");
            }
            members.put(name, value == null ? NULL : value);
            return this;
        }

        /** A string; null becomes JSON null. */
        public Builder put(String name, String value) {
            return put(name, JsonValue.of(value));
        }

        public Builder put(String name, long value) {
            return put(name, JsonValue.of(value));
        }

        public Builder put(String name, double value) {
            return put(name, JsonValue.of(value));
        }

        public Builder put(String name, boolean value) {
            return put(name, JsonValue.of(value));
        }

        public JsonObject build() {
            if (members == null) {
                throw new IllegalStateException("this builder has built its object already");
            }
            JsonObject o = new JsonObject(members);
            members = null;
            return o;
        }
    }
}
