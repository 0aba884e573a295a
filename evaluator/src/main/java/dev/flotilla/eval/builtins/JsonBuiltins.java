package dev.flotilla.eval.builtins;

import dev.flotilla.eval.Bytes;
import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Force;
import dev.flotilla.eval.Interpreter;
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
import dev.flotilla.eval.print.JsonPrinter;
import dev.flotilla.eval.print.XmlPrinter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** JSON, TOML and XML conversion. */
final class JsonBuiltins {
    private JsonBuiltins() {}

    static void register(Registry r) {
        r.add("toJSON", 1, JsonBuiltins::toJSON);
        r.add("fromJSON", 1, JsonBuiltins::fromJSON);
        r.add("toXML", 1, JsonBuiltins::toXML);
        r.add("fromTOML", 1, JsonBuiltins::fromTOML);
    }

    static Value fromTOML(Interpreter in, Lazy[] a, Pos pos) {
        String text = Bytes.toJava(Force.stringNoContext(a[0], pos));
        try {
            return fromToml(TomlReader.parse(text));
        } catch (TomlReader.TomlException e) {
            throw new EvalException(pos, "while parsing a TOML string: " + e.getMessage());
        }
    }

    private static Value fromToml(Object o) {
        return switch (o) {
            case TomlReader.Table t -> {
                NixAttrs.Builder b = NixAttrs.builder();
                t.entries.forEach((k, v) -> b.put(Bytes.fromJava(k), fromToml(v)));
                yield b.build();
            }
            case TomlReader.TableArray arr -> {
                List<Lazy> items = new ArrayList<>();
                for (TomlReader.Table t : arr.tables) items.add(fromToml(t));
                yield new NixList(items);
            }
            case List<?> l -> {
                List<Lazy> items = new ArrayList<>();
                for (Object x : l) items.add(fromToml(x));
                yield new NixList(items);
            }
            case String s -> new NixString(Bytes.fromJava(s));
            case Long n -> new NixInt(n);
            case Double d -> new NixFloat(d);
            case Boolean b -> NixBool.of(b);
            default -> throw new IllegalStateException("unexpected TOML value " + o);
        };
    }

    static Value toJSON(Interpreter in, Lazy[] a, Pos pos) {
        Set<String> ctx = new HashSet<>();
        String s = JsonPrinter.print(in, a[0], ctx, pos);
        return new NixString(s, ctx);
    }

    static Value toXML(Interpreter in, Lazy[] a, Pos pos) {
        Set<String> ctx = new HashSet<>();
        String s = XmlPrinter.print(a[0], true, false, ctx);
        return new NixString(s, ctx);
    }

    static Value fromJSON(Interpreter in, Lazy[] a, Pos pos) {
        String s = Force.string(a[0], pos).value();
        JsonReader r = new JsonReader(Bytes.toJava(s), pos);
        Value v = r.value();
        r.ws();
        if (!r.atEnd()) throw r.error("unexpected trailing data");
        return v;
    }

    /** A strict JSON reader producing Nix values (strings as UTF-8 byte strings). */
    private static final class JsonReader {
        private final String s;
        private final Pos pos;
        private int i;

        JsonReader(String s, Pos pos) {
            this.s = s;
            this.pos = pos;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        EvalException error(String what) {
            return new EvalException(pos, "error parsing JSON: " + what + " at offset " + i);
        }

        void ws() {
            while (i < s.length() && " \t\n\r".indexOf(s.charAt(i)) >= 0) i++;
        }

        Value value() {
            ws();
            if (atEnd()) throw error("unexpected end of input");
            char c = s.charAt(i);
            switch (c) {
                case '{': return object();
                case '[': return array();
                case '"': return new NixString(Bytes.fromJava(string()));
                case 't': return literal("true", NixBool.TRUE);
                case 'f': return literal("false", NixBool.FALSE);
                case 'n': return literal("null", NixNull.NULL);
                default: return number();
            }
        }

        private Value literal(String word, Value v) {
            if (!s.startsWith(word, i)) throw error("invalid literal");
            i += word.length();
            return v;
        }

        private Value object() {
            i++;
            NixAttrs.Builder b = NixAttrs.builder();
            ws();
            if (i < s.length() && s.charAt(i) == '}') {
                i++;
                return b.build();
            }
            while (true) {
                ws();
                if (atEnd() || s.charAt(i) != '"') throw error("expected string key");
                String key = Bytes.fromJava(string());
                ws();
                expect(':');
                b.put(key, value());
                ws();
                if (atEnd()) throw error("unexpected end of input");
                if (s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                expect('}');
                return b.build();
            }
        }

        private Value array() {
            i++;
            List<Lazy> items = new ArrayList<>();
            ws();
            if (i < s.length() && s.charAt(i) == ']') {
                i++;
                return new NixList(items);
            }
            while (true) {
                items.add(value());
                ws();
                if (atEnd()) throw error("unexpected end of input");
                if (s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                expect(']');
                return new NixList(items);
            }
        }

        private void expect(char c) {
            if (atEnd() || s.charAt(i) != c) throw error("expected '" + c + "'");
            i++;
        }

        private String string() {
            i++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (atEnd()) throw error("unterminated string");
                char c = s.charAt(i++);
                if (c == '"') return sb.toString();
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (atEnd()) throw error("unterminated string");
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) throw error("bad unicode escape");
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
        }

        private Value number() {
            int start = i;
            if (i < s.length() && s.charAt(i) == '-') i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            boolean isFloat = false;
            if (i < s.length() && s.charAt(i) == '.') {
                isFloat = true;
                i++;
                while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            }
            if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                isFloat = true;
                i++;
                if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
                while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            }
            String t = s.substring(start, i);
            if (t.isEmpty() || t.equals("-")) throw error("invalid value");
            try {
                return isFloat ? new NixFloat(Double.parseDouble(t)) : new NixInt(Long.parseLong(t));
            } catch (NumberFormatException ex) {
                return new NixFloat(Double.parseDouble(t));
            }
        }
    }
}
