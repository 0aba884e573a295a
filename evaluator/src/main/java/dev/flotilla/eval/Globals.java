package dev.flotilla.eval;

import dev.flotilla.eval.NixFunction.PrimOp;
import dev.flotilla.eval.builtins.Registry;
import dev.flotilla.eval.syntax.Resolver;
import java.util.ArrayList;
import java.util.List;

/**
 * The base environment every file is evaluated in: {@code builtins}, {@code true}/{@code false}/{@code null},
 * the builtins' global names and the session constants. Its layout is static so parsed files can be
 * shared between sessions.
 */
final class Globals {
    /** Constants whose value depends on the session; stored under {@code __name} / {@code builtins.name}. */
    static final List<String> CONSTANTS = List.of("currentSystem", "storeDir", "nixVersion", "langVersion", "nixPath",
            "currentTime");
    static final List<String> NAMES = names();
    static final Resolver.Scope SCOPE = Resolver.Scope.of(null, NAMES);

    private Globals() {}

    private static List<String> names() {
        List<String> n = new ArrayList<>(List.of("builtins", "true", "false", "null", "derivation"));
        CONSTANTS.forEach(c -> n.add("__" + c));
        Registry.all().keySet().forEach(k -> n.add(Registry.globalName(k)));
        return List.copyOf(n);
    }

    static Env baseEnv(Interpreter in, EvalSession session) {
        Lazy[] slots = new Lazy[NAMES.size()];
        Env env = Env.root(in, slots);
        NixAttrs.Builder b = NixAttrs.builder();
        for (int k = 0; k < NAMES.size(); k++) {
            String name = NAMES.get(k);
            Lazy v = switch (name) {
                case "builtins" -> null;
                case "true" -> NixBool.TRUE;
                case "false" -> NixBool.FALSE;
                case "null" -> NixNull.NULL;
                case "derivation" -> new Thunk(() -> session.derivationFunction(env));
                default -> constantOrPrimOp(name.startsWith("__") ? name.substring(2) : name, session);
            };
            slots[k] = v;
            if (v != null && !name.equals("true") && !name.equals("false") && !name.equals("null")) {
                b.put(name.startsWith("__") ? name.substring(2) : name, v);
            }
        }
        b.put("true", NixBool.TRUE).put("false", NixBool.FALSE).put("null", NixNull.NULL);
        Lazy[] self = new Lazy[1];
        self[0] = new Thunk(() -> b.put("builtins", self[0]).build());
        slots[NAMES.indexOf("builtins")] = self[0];
        return env;
    }

    private static Lazy constantOrPrimOp(String name, EvalSession s) {
        PrimOp op = Registry.all().get(name);
        if (op != null) return op;
        return new Thunk(() -> s.constant(name));
    }
}
