package dev.flotilla.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Conversion between Nix values and plain Java objects (for {@link Evaluator#evalFileToJava}). */
public final class JavaValues {
    private JavaValues() {}

    /** Map → set, List → list, String, Long/Integer, Double/Float, Boolean, null; a {@link Value} passes through. */
    public static Value fromJava(Object o) {
        return switch (o) {
            case null -> NixNull.NULL;
            case Value v -> v;
            case String s -> new NixString(Bytes.fromJava(s));
            case Long l -> new NixInt(l);
            case Integer i -> new NixInt(i);
            case Short s -> new NixInt(s);
            case Double d -> new NixFloat(d);
            case Float f -> new NixFloat(f);
            case Boolean b -> NixBool.of(b);
            case java.nio.file.Path p -> new NixPath(Bytes.fromJava(p.toAbsolutePath().normalize().toString()));
            case Map<?, ?> m -> {
                NixAttrs.Builder b = NixAttrs.builder();
                m.forEach((k, v) -> b.put(Bytes.fromJava(String.valueOf(k)), fromJava(v)));
                yield b.build();
            }
            case List<?> l -> {
                List<Lazy> items = new ArrayList<>(l.size());
                for (Object x : l) items.add(fromJava(x));
                yield new NixList(items);
            }
            default -> throw new IllegalArgumentException("cannot convert " + o.getClass().getName() + " to a Nix value");
        };
    }

    /**
     * Forces deeply and converts: sets become sorted maps, except derivations, which become their
     * {@code outPath}; paths become strings; functions are an error.
     */
    public static Object toJava(Lazy l) {
        return toJava(l, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static Object toJava(Lazy l, Set<Value> active) {
        Value v = l.force();
        return switch (v) {
            case NixInt i -> i.value();
            case NixFloat f -> f.value();
            case NixBool b -> b.value();
            case NixNull n -> null;
            case NixString s -> Bytes.toJava(s.value());
            case NixPath p -> Bytes.toJava(p.path());
            case NixFunction f -> throw new EvalException(Pos.NONE, "cannot convert a function to a plain value");
            case NixList list -> {
                enter(active, v);
                List<Object> out = new ArrayList<>(list.size());
                for (Lazy x : list.items()) out.add(toJava(x, active));
                active.remove(v);
                yield Collections.unmodifiableList(out);
            }
            case NixAttrs a -> {
                if (Equality.isDerivation(a) && a.has("outPath")) yield toJava(a.get("outPath"), active);
                enter(active, v);
                TreeMap<String, Object> out = new TreeMap<>();
                for (int k = 0; k < a.size(); k++) {
                    try {
                        out.put(Bytes.toJava(a.name(k)), toJava(a.value(k), active));
                    } catch (EvalException e) {
                        throw e.addTrace(a.position(a.name(k)), "while evaluating the attribute '" + a.name(k) + "'");
                    }
                }
                active.remove(v);
                yield Collections.unmodifiableSortedMap(out);
            }
        };
    }

    private static void enter(Set<Value> active, Value v) {
        if (!active.add(v)) throw new EvalException(Pos.NONE, "cannot convert a cyclic value to a plain value");
    }
}
