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
        try {
            return JsonReader.parse(s);
        } catch (JsonLexer.Failure f) {
            throw JsonReader.evalError(f, pos);
        }
    }
}
