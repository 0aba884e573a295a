package dev.flotilla.json;

import dev.flotilla.json.JsonValue.JsonNumber;
import dev.flotilla.json.JsonValue.JsonString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    private static String compact(String json) {
        return Json.text(Json.parse(json));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripsKeepMemberOrderAndEveryKindOfValue() {
        for (String json : List.of("{}", "[]", "\"\"", "0", "-1", "true", "false", "null",
                "{\"z\":1,\"a\":[true,false,null],\"m\":{\"x\":\"y\"},\"e\":{},\"l\":[]}",
                "[[[]],[{}],{\"a\":[1,2.5,-3e-7]}]")) {
            assertEquals(json, compact(json));
        }
        assertEquals("{\"a\":[1,2],\"b\":{}}", compact(" \t\r\n{ \"a\" : [ 1 , 2 ] ,\n\"b\":{ } }\n "));
        JsonObject o = Json.parseObject("{\"z\":1,\"a\":2,\"m\":3}");
        assertEquals(List.of("z", "a", "m"), List.copyOf(o.members().keySet()));
    }

    @Test
    void writesEscapesForQuotesBackslashesAndControlCharactersOnly() {
        String s = "q\"b\\s/ \b\f\n\r\t \u0000\u0001\u001f\u007f é€ \u2028 \ud83d\ude00 end";
        // What Jackson wrote (its String writer), which files and hashes written before depend on.
        String expected = "\"q\\\"b\\\\s/ \\b\\f\\n\\r\\t \\u0000\\u0001\\u001F\u007f é€ \u2028 \ud83d\ude00 end\"";
        assertEquals(expected, Json.text(JsonValue.of(s)));
        assertArrayEquals(utf8(expected), Json.write(JsonValue.of(s)));
        assertEquals(s, ((JsonString) Json.parse(expected)).value());
    }

    @Test
    void readsEveryEscape() {
        assertEquals("\"\\/\b\f\n\r\t\u00e9\u00e9", ((JsonString) Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u00E9\"")).value());
        assertEquals("\u0000", ((JsonString) Json.parse("\"\\u0000\"")).value());
    }

    @Test
    void unicodeIsWrittenAsUtf8AndSurrogatePairsEitherWay() {
        String emoji = "\ud83d\ude00";
        assertArrayEquals(new byte[] {'"', (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, '"'}, Json.write(JsonValue.of(emoji)));
        assertArrayEquals(new byte[] {'"', (byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82, (byte) 0xAC, '"'},
                Json.write(JsonValue.of("é€")));
        assertEquals(JsonValue.of(emoji), Json.parse("\"\\ud83d\\ude00\""));
        assertEquals(JsonValue.of(emoji), Json.parse(new byte[] {'"', (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, '"'}));
        assertEquals(JsonValue.of("\u00e9"), Json.parse(new byte[] {'"', (byte) 0xC3, (byte) 0xA9, '"'}));
        assertEquals(JsonValue.of("\uffff\u0800"), Json.parse(utf8("\"\uffff\u0800\"")));
    }

    @Test
    void loneSurrogatesAreKeptAndWrittenAsEscapes() {
        JsonValue lone = Json.parse("[\"x\\ud800y\", \"\\udc00\", \"\\ude00\\ud83d\"]");
        assertEquals(JsonArray.ofStrings(List.of("x\ud800y", "\udc00", "\ude00\ud83d")), lone);
        // no UTF-8 form exists for them: the escape keeps them, and the output stays valid UTF-8
        assertEquals("[\"x\\uD800y\",\"\\uDC00\",\"\\uDE00\\uD83D\"]", Json.text(lone));
        assertEquals(lone, Json.parse(Json.write(lone)));
    }

    @Test
    void integersStayExact() {
        for (long n : new long[] {0, 1, -1, 42, Integer.MAX_VALUE + 1L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            JsonNumber parsed = (JsonNumber) Json.parse(Long.toString(n));
            assertTrue(parsed.isLong());
            assertEquals(n, parsed.longValue());
            assertEquals(Long.toString(n), Json.text(JsonValue.of(n)));
        }
        JsonNumber big = (JsonNumber) Json.parse("-123456789012345678901234567890");
        assertFalse(big.isLong(), "beyond a long");
        assertEquals("-123456789012345678901234567890", Json.text(big), "the digits are kept");
        assertThrows(JsonException.class, big::longValue);
        assertEquals(-1.2345678901234568E29, big.doubleValue());
        assertEquals("9223372036854775808", Json.text(Json.parse("9223372036854775808")));
        assertThrows(JsonException.class, () -> ((JsonNumber) Json.parse("9223372036854775808")).longValue());
        assertThrows(JsonException.class, () -> ((JsonNumber) Json.parse("2147483648")).intValue());
        assertEquals(-2147483648, ((JsonNumber) Json.parse("-2147483648")).intValue());
        assertEquals(0, ((JsonNumber) Json.parse("-0")).longValue());
    }

    @Test
    void otherNumbersAreDoublesAndKeepTheirText() {
        assertEquals(1.5, ((JsonNumber) Json.parse("1.5")).doubleValue());
        assertEquals(1e-7, ((JsonNumber) Json.parse("1E-7")).doubleValue());
        assertEquals(1.0E21, ((JsonNumber) Json.parse("1e+21")).doubleValue());
        assertFalse(((JsonNumber) Json.parse("1.0")).isLong(), "a fraction is not an integer, even .0");
        assertFalse(((JsonNumber) Json.parse("1e2")).isLong());
        assertEquals("[1.50,1E+2,-0.0]", compact("[1.50, 1E+2, -0.0]"));
        // doubles are written as Java (and Jackson) write them
        assertEquals("300.0", Json.text(JsonValue.of(300.0)));
        assertEquals("0.5", Json.text(JsonValue.of(0.5)));
        assertEquals("1.0E21", Json.text(JsonValue.of(1e21)));
        assertEquals(1.0E21, ((JsonNumber) Json.parse("1.0E21")).doubleValue());
        assertThrows(IllegalArgumentException.class, () -> JsonValue.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> JsonValue.of(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new JsonNumber("01"));
        assertThrows(IllegalArgumentException.class, () -> new JsonNumber("1."));
    }

    /** Each malformed input fails with a JsonException whose reason says why and whose position points at the culprit. */
    @Test
    void everySyntaxErrorSaysWhatAndWhere() {
        assertSyntax("", "unexpected end of input, expected a value", 1, 1);
        assertSyntax("  ", "unexpected end of input, expected a value", 1, 3);
        assertSyntax("{", "unexpected end of input, expected a string as the member name", 1, 2);
        assertSyntax("{\"a\" 1}", "unexpected '1', expected ':' after the member name", 1, 6);
        assertSyntax("{\"a\":1,}", "unexpected '}', expected a string as the member name", 1, 8);
        assertSyntax("{\"a\":1 \"b\":2}", "unexpected '\"', expected ',' or '}' in an object", 1, 8);
        assertSyntax("{a:1}", "unexpected 'a', expected a string as the member name", 1, 2);
        assertSyntax("{\"a\":1,\"a\":2}", "duplicate member name \"a\"", 1, 8);
        assertSyntax("[1,]", "unexpected ']', expected a value", 1, 4);
        assertSyntax("[1 2]", "unexpected '2', expected ',' or ']' in an array", 1, 4);
        assertSyntax("[1", "unexpected end of input, expected ',' or ']' in an array", 1, 3);
        assertSyntax("1 2", "unexpected '2' after the value", 1, 3);
        assertSyntax("{}x", "unexpected 'x' after the value", 1, 3);
        assertSyntax("\"a\"\u0000", "unexpected byte 0x00 after the value", 1, 4);
        for (String number : List.of("01", "-", "1.", ".5", "1e", "1e+", "--1", "1.2.3", "-01", "1E2.5")) {
            String first = number.startsWith(".") ? "'.'" : null;
            if (first == null) {
                assertSyntax(number, "invalid number '" + number + "'", 1, 1);
            } else {
                assertSyntax(number, "unexpected " + first + ", expected a value", 1, 1);
            }
        }
        assertSyntax("+1", "unexpected '+', expected a value", 1, 1);
        assertSyntax("[1,-]", "invalid number '-'", 1, 4);
        assertSyntax("tru", "invalid literal (expected true)", 1, 1);
        assertSyntax("[nul]", "invalid literal (expected null)", 1, 2);
        assertSyntax("True", "unexpected 'T', expected a value", 1, 1);
        assertSyntax("nulll", "unexpected 'l' after the value", 1, 5);
        assertSyntax("NaN", "unexpected 'N', expected a value", 1, 1);
        assertSyntax("[Infinity]", "unexpected 'I', expected a value", 1, 2);
        assertSyntax("/* no */ 1", "unexpected '/', expected a value", 1, 1);
        assertSyntax("'a'", "unexpected ''', expected a value", 1, 1);
        assertSyntax("\"abc", "unterminated string", 1, 1);
        assertSyntax("\"abc\\", "unterminated string", 1, 5);
        assertSyntax("\"a\nb\"", "control character U+000A in a string (it must be escaped)", 1, 3);
        assertSyntax("\"a\tb\"", "control character U+0009 in a string (it must be escaped)", 1, 3);
        assertSyntax("\"\\x\"", "invalid escape \\x", 1, 2);
        assertSyntax("\"\\u12G4\"", "expected four hex digits after \\u", 1, 2);
        assertSyntax("\"\\u12\"", "expected four hex digits after \\u", 1, 2);
        assertSyntax("{\n  \"a\": x}", "unexpected 'x', expected a value", 2, 8);
        assertSyntax("[\"é\", x]", "unexpected 'x', expected a value", 1, 7);   // columns count characters, not bytes
    }

    @Test
    void invalidUtf8IsRefused() {
        assertBytes(new byte[] {'"', (byte) 0x80, '"'}, "invalid UTF-8 (byte 0x80)");
        assertBytes(new byte[] {'"', (byte) 0xC0, (byte) 0x80, '"'}, "invalid UTF-8 (byte 0xC0)");
        assertBytes(new byte[] {'"', (byte) 0xE0, (byte) 0x80, (byte) 0x80, '"'},
                "invalid UTF-8 (overlong form, surrogate or beyond U+10FFFF: U+0000)");
        assertBytes(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'},
                "invalid UTF-8 (overlong form, surrogate or beyond U+10FFFF: U+D800)");
        assertBytes(new byte[] {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'},
                "invalid UTF-8 (overlong form, surrogate or beyond U+10FFFF: U+110000)");
        assertBytes(new byte[] {'"', (byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80, '"'}, "invalid UTF-8 (byte 0xF5)");
        assertBytes(new byte[] {'"', (byte) 0xE2, (byte) 0x82, '"'}, "invalid UTF-8 (truncated sequence)");
        assertBytes(new byte[] {'"', (byte) 0xE2, (byte) 0x82}, "invalid UTF-8 (truncated sequence)");
        assertBytes(new byte[] {(byte) 0xC3, (byte) 0xA9}, "unexpected byte 0xC3, expected a value");
    }

    @Test
    void aByteOrderMarkIsSkipped() {
        assertEquals(JsonValue.of(1), Json.parse(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '1'}));
    }

    @Test
    void nestingIsLimited() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertEquals(ok, compact(ok));
        String mixed = "{\"a\":[".repeat(Json.MAX_DEPTH / 2) + "]}".repeat(Json.MAX_DEPTH / 2);
        assertEquals(mixed, compact(mixed));
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
        assertEquals("nesting deeper than " + Json.MAX_DEPTH + " levels", e.reason());
        assertEquals(Json.MAX_DEPTH, e.offset());
        // the hostile case: far deeper, unterminated; refused at the limit, long before the end
        assertThrows(JsonException.class, () -> Json.parse("[".repeat(1_000_000)));
    }

    /** The agent runs its threads with -Xss256k: the deepest input allowed must parse and write on such a stack. */
    @Test
    void theDeepestInputFitsASmallStack() throws InterruptedException {
        String deep = "{\"a\":[".repeat(Json.MAX_DEPTH / 2) + "]}".repeat(Json.MAX_DEPTH / 2);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(Json.text(Json.parse(deep)) + Json.pretty(Json.parse(deep)).length());
            } catch (Throwable e) {
                result.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        assertTrue(result.get() instanceof String s && s.startsWith(deep), String.valueOf(result.get()));
    }

    @Test
    void prettyOutputHasJacksonsLayout() {
        JsonObject v = Json.parseObject("{\"empty\":{},\"emptyArr\":[],\"arr\":[1,\"x\",{\"k\":1,\"in\":{\"z\":false}}],"
                + "\"nested\":[[1]],\"after\":\"y\"}");
        // as Jackson 2.19's toPrettyString() printed it
        assertEquals("""
                {
                  "empty" : { },
                  "emptyArr" : [ ],
                  "arr" : [ 1, "x", {
                    "k" : 1,
                    "in" : {
                      "z" : false
                    }
                  } ],
                  "nested" : [ [ 1 ] ],
                  "after" : "y"
                }""", Json.pretty(v));
        assertEquals("[ ]", Json.pretty(JsonArray.EMPTY));
        assertEquals("[ { } ]", Json.pretty(Json.parse("[{}]")));
        assertEquals("\"a\"", Json.pretty(JsonValue.of("a")));
    }

    @Test
    void accessorsNameTheFieldInTheirErrors() {
        JsonObject o = Json.parseObject("{\"s\":\"x\",\"n\":7,\"big\":4294967296,\"f\":1.5,\"b\":true,\"nil\":null,"
                + "\"o\":{\"k\":1},\"a\":[\"p\",\"q\"],\"mixed\":[\"p\",2],\"future\":{\"ignored\":true}}");
        assertEquals("x", o.string("s"));
        assertEquals(7, o.intValue("n"));
        assertEquals(4294967296L, o.longValue("big"));
        assertTrue(o.bool("b"));
        assertEquals(1, o.object("o").intValue("k"));
        assertEquals(List.of("p", "q"), o.array("a").strings());
        assertEquals("field 'missing' is missing", assertThrows(JsonException.class, () -> o.string("missing")).getMessage());
        assertEquals("field 'nil' is null", assertThrows(JsonException.class, () -> o.longValue("nil")).getMessage());
        assertEquals("field 'n': expected a string, got 7", assertThrows(JsonException.class, () -> o.string("n")).getMessage());
        assertEquals("field 's': expected an integer, got \"x\"", assertThrows(JsonException.class, () -> o.intValue("s")).getMessage());
        assertEquals("field 'f': expected an integer, got 1.5", assertThrows(JsonException.class, () -> o.longValue("f")).getMessage());
        assertEquals("field 'big': expected a 32-bit integer, got 4294967296",
                assertThrows(JsonException.class, () -> o.intValue("big")).getMessage());
        assertEquals("field 's': expected true or false, got \"x\"", assertThrows(JsonException.class, () -> o.bool("s")).getMessage());
        assertEquals("field 'a': expected an object, got [\"p\",\"q\"]", assertThrows(JsonException.class, () -> o.object("a")).getMessage());
        assertEquals("field 'o': expected an array, got {\"k\":1}", assertThrows(JsonException.class, () -> o.array("o")).getMessage());
        assertEquals("element 1: expected a string, got 2", assertThrows(JsonException.class, () -> o.array("mixed").strings()).getMessage());
        assertEquals("element 0: expected an object, got \"p\"", assertThrows(JsonException.class, () -> o.array("a").objects()).getMessage());
        // lenient forms: a fallback for missing or null, still an error for another type
        assertEquals("d", o.string("missing", "d"));
        assertEquals("d", o.string("nil", "d"));
        assertEquals(-1, o.longValue("nil", -1));
        assertEquals(3, o.intValue("missing", 3));
        assertFalse(o.bool("missing", false));
        assertEquals(JsonArray.EMPTY, o.array("missing", JsonArray.EMPTY));
        assertTrue(o.optString("nil").isEmpty());
        assertEquals("x", o.optString("s").orElseThrow());
        assertTrue(o.optLong("missing").isEmpty());
        assertEquals(7, o.optLong("n").getAsLong());
        assertTrue(o.optObject("missing").isEmpty());
        assertEquals(7, o.optInt("n").getAsInt());
        assertTrue(o.optInt("nil").isEmpty());
        assertThrows(JsonException.class, () -> o.optInt("big"));
        assertEquals("the value: expected an array, got {\"k\":1}",
                assertThrows(JsonException.class, () -> o.object("o").asArray()).getMessage());
        assertEquals(2, o.array("a").asArray().size());
        assertThrows(JsonException.class, () -> o.optString("n"));
        assertThrows(JsonException.class, () -> o.string("n", "d"));
        assertEquals(JsonValue.NULL, o.get("nil").orElseThrow());
        assertTrue(o.get("missing").isEmpty());
        assertEquals("the value: expected an object, got [1]",
                assertThrows(JsonException.class, () -> Json.parseObject("[1]")).getMessage());
    }

    @Test
    void buildersKeepOrderAndRefuseReuse() {
        JsonObject.Builder b = JsonObject.builder().put("b", 1).put("a", "x").put("n", (String) null).put("d", 2.5)
                .put("t", true).put("arr", JsonArray.builder().add("s").add(3).add(JsonValue.NULL).build());
        JsonObject o = b.put("b", 2).build();
        assertEquals("{\"b\":2,\"a\":\"x\",\"n\":null,\"d\":2.5,\"t\":true,\"arr\":[\"s\",3,null]}", o.toString());
        assertThrows(IllegalStateException.class, () -> b.put("c", 1));
        assertThrows(UnsupportedOperationException.class, () -> o.members().clear());
        assertEquals(o, Json.parse(o.toString()));
    }

    /** Random documents, strings with every kind of character among them, survive writing and reading (compact and pretty). */
    @Test
    void randomValuesRoundTrip() {
        long seed = Long.getLong("json.seed", System.nanoTime());
        Random r = new Random(seed);
        for (int i = 0; i < 3000; i++) {
            JsonValue v = randomValue(r, 0);
            byte[] compact = Json.write(v);
            assertEquals(v, Json.parse(compact), () -> "seed " + seed + ": " + new String(compact, StandardCharsets.UTF_8));
            assertEquals(v, Json.parse(Json.pretty(v)), () -> "seed " + seed + ", pretty: " + Json.pretty(v));
            assertArrayEquals(compact, Json.write(Json.parse(compact)), () -> "seed " + seed + ": rewritten differently");
            // the output is valid UTF-8 whatever the strings held
            assertArrayEquals(compact, new String(compact, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static JsonValue randomValue(Random r, int depth) {
        int kind = r.nextInt(depth > 4 ? 5 : 7);
        return switch (kind) {
            case 0 -> JsonValue.of(randomString(r));
            case 1 -> JsonValue.of(r.nextBoolean() ? r.nextLong() : r.nextInt(2000) - 1000);
            case 2 -> JsonValue.of(r.nextBoolean() ? r.nextDouble() * Math.pow(10, r.nextInt(40) - 20) : -r.nextGaussian());
            case 3 -> JsonValue.of(r.nextBoolean());
            case 4 -> JsonValue.NULL;
            case 5 -> {
                JsonArray.Builder a = JsonArray.builder();
                for (int i = r.nextInt(5); i > 0; i--) {
                    a.add(randomValue(r, depth + 1));
                }
                yield a.build();
            }
            default -> {
                JsonObject.Builder o = JsonObject.builder();
                for (int i = r.nextInt(5); i > 0; i--) {
                    o.put(randomString(r), randomValue(r, depth + 1));
                }
                yield o.build();
            }
        };
    }

    private static String randomString(Random r) {
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            switch (r.nextInt(7)) {
                case 0 -> s.append((char) r.nextInt(0x20));                                  // control
                case 1 -> s.append("\"\\/".charAt(r.nextInt(3)));
                case 2 -> s.append((char) (0x20 + r.nextInt(0x60)));                          // ASCII
                case 3 -> s.append((char) (0x80 + r.nextInt(0x780)));                         // two UTF-8 bytes
                case 4 -> s.append((char) (0x800 + r.nextInt(0xD800 - 0x800)));                // three
                case 5 -> s.appendCodePoint(0x10000 + r.nextInt(0x100000));                    // a surrogate pair
                default -> s.append((char) (0xD800 + r.nextInt(0x800)));                      // a lone surrogate
            }
        }
        return s.toString();
    }

    private static void assertSyntax(String json, String reason, int line, int column) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(json), json);
        assertEquals(reason, e.reason(), json);
        assertEquals(line, e.line(), () -> json + ": line");
        assertEquals(column, e.column(), () -> json + ": column");
        assertEquals("line " + line + ", column " + column + " (offset " + e.offset() + "): " + reason, e.getMessage());
    }

    private static void assertBytes(byte[] json, String reason) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(json));
        assertEquals(reason, e.reason());
    }
}
