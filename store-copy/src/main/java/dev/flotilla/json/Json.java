package dev.flotilla.json;

import java.nio.charset.StandardCharsets;

/**
 * A small JSON codec (RFC 8259), so the agent and the copy protocol need no JSON library: a library
 * costs the always-running agent more memory (its classes) than all its JSON ever does.
 * {@link #parse} reads strictly ({@link JsonParser}); {@link #write} and {@link #text} write compact
 * JSON, {@link #pretty} indented JSON ({@link JsonWriter}). Thread-safe: no shared state.
 */
public final class Json {
    /**
     * How deeply arrays and objects may nest in parsed input. The parser and the writer recurse, and
     * the agent's threads have 256 KiB stacks (about 160 KiB usable): the writer takes up to ~0.6 KiB
     * a level once compiled, so 64 levels (ten times what any Flotilla document nests) keep a wide margin.
     */
    public static final int MAX_DEPTH = 64;

    private Json() {
    }

    /** One JSON value from UTF-8 bytes; {@link JsonException} with the position when the text is not JSON. */
    public static JsonValue parse(byte[] utf8) {
        return JsonParser.parse(utf8, MAX_DEPTH);
    }

    public static JsonValue parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #parse(byte[])}, for input that must be an object. */
    public static JsonObject parseObject(byte[] utf8) {
        return parse(utf8).asObject();
    }

    public static JsonObject parseObject(String text) {
        return parse(text).asObject();
    }

    /**
     * Plain Java values as JSON: maps (their members sorted by name, so the bytes never depend on a map's
     * iteration order), lists, strings, integers, longs, booleans and nulls.
     */
    public static JsonValue fromPlain(Object v) {
        return switch (v) {
            case null -> JsonValue.NULL;
            case java.util.Map<?, ?> m -> {
                JsonObject.Builder o = JsonObject.builder();
                new java.util.TreeMap<>(m).forEach((name, value) -> o.put((String) name, fromPlain(value)));
                yield o.build();
            }
            case java.util.List<?> l -> {
                JsonArray.Builder a = JsonArray.builder();
                l.forEach(value -> a.add(fromPlain(value)));
                yield a.build();
            }
            case String s -> JsonValue.of(s);
            case Integer i -> JsonValue.of(i);
            case Long l -> JsonValue.of(l);
            case Boolean b -> JsonValue.of(b);
            default -> throw new IllegalArgumentException("no JSON form for a " + v.getClass().getName());
        };
    }

    /** Compact UTF-8 JSON. */
    public static byte[] write(JsonValue v) {
        return JsonWriter.write(v, false);
    }

    /** Compact JSON as a string (also what {@code toString()} of every value gives). */
    public static String text(JsonValue v) {
        return new String(JsonWriter.write(v, false), StandardCharsets.UTF_8);
    }

    /** Indented JSON, in the layout of Jackson's default pretty printer (see {@link JsonWriter}); no final newline. */
    public static String pretty(JsonValue v) {
        return new String(JsonWriter.write(v, true), StandardCharsets.UTF_8);
    }

    static JsonException mismatch(String what, String expected, JsonValue got) {
        return new JsonException(what + ": expected " + expected + ", got " + shortText(got));
    }

    /** A value for an error message: its text, clipped (it may be a whole document). */
    private static String shortText(JsonValue v) {
        String s = v.toString();
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
