package dev.flotilla.json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** A JSON array. {@link #strings()} and {@link #objects()} read it as a list of one type, naming the element that is not. */
public final class JsonArray implements JsonValue, Iterable<JsonValue> {
    public static final JsonArray EMPTY = new JsonArray(new ArrayList<>(0));

    private final List<JsonValue> values;

    /** Takes ownership of {@code values} (the parser and the builder hand theirs over; nobody else keeps them). */
    JsonArray(ArrayList<JsonValue> values) {
        this.values = values;
    }

    /** A copy of {@code values}; null elements become {@link JsonValue#NULL}. */
    public static JsonArray of(Collection<? extends JsonValue> values) {
        Builder b = builder();
        values.forEach(b::add);
        return b.build();
    }

    /** An array of strings (null elements become JSON null). */
    public static JsonArray ofStrings(Collection<String> values) {
        Builder b = builder();
        values.forEach(b::add);
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<JsonValue> values() {
        return Collections.unmodifiableList(values);
    }

    public int size() {
        return values.size();
    }

    public JsonValue get(int index) {
        return values.get(index);
    }

    @Override
    public Iterator<JsonValue> iterator() {
        return values().iterator();
    }

    /** The elements as strings; {@link JsonException} naming the first element that is not one. */
    public List<String> strings() {
        List<String> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            if (!(values.get(i) instanceof JsonString s)) {
                throw Json.mismatch("element " + i, "a string", values.get(i));
            }
            out.add(s.value());
        }
        return out;
    }

    /** The elements as objects; {@link JsonException} naming the first element that is not one. */
    public List<JsonObject> objects() {
        List<JsonObject> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            if (!(values.get(i) instanceof JsonObject o)) {
                throw Json.mismatch("element " + i, "an object", values.get(i));
            }
            out.add(o);
        }
        return out;
    }

    @Override
    public String typeName() {
        return "array";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonArray other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return Json.text(this);
    }

    /** Builds an array in the order of the adds. Single use. */
    public static final class Builder {
        private ArrayList<JsonValue> values = new ArrayList<>();

        private Builder() {
        }

        public Builder add(JsonValue value) {
            if (values == null) {
                throw new IllegalStateException("this builder has built its array already");
            }
            values.add(value == null ? NULL : value);
            return this;
        }

        /** A string; null becomes JSON null. */
        public Builder add(String value) {
            return add(JsonValue.of(value));
        }

        public Builder add(long value) {
            return add(JsonValue.of(value));
        }

        public JsonArray build() {
            if (values == null) {
                throw new IllegalStateException("this builder has built its array already");
            }
            JsonArray a = new JsonArray(values);
            values = null;
            return a;
        }
    }
}
