package dev.flotilla.eval.builtins;

import dev.flotilla.eval.NixFunction.Builtin;
import dev.flotilla.eval.NixFunction.PrimOp;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** All builtin functions, by their {@code builtins.<name>}. Each theme file registers its own. */
public final class Registry {
    /** Builtins that Nix also binds as plain global names (the rest are globals only as {@code __name}). */
    public static final Set<String> UNPREFIXED = Set.of("abort", "baseNameOf", "derivationStrict", "dirOf",
            "fetchGit", "fetchMercurial", "fetchTarball", "fromTOML", "import", "isNull", "map", "placeholder",
            "removeAttrs", "scopedImport", "throw", "toString");

    private static final Map<String, PrimOp> ALL = build();

    private final Map<String, PrimOp> ops = new TreeMap<>();

    private Registry() {}

    public void add(String name, int arity, Builtin fn) {
        if (ops.put(name, new PrimOp(name, arity, fn)) != null) throw new IllegalStateException("duplicate builtin " + name);
    }

    private static Map<String, PrimOp> build() {
        Registry r = new Registry();
        TypeBuiltins.register(r);
        ListBuiltins.register(r);
        AttrBuiltins.register(r);
        StringBuiltins.register(r);
        MathBuiltins.register(r);
        ControlBuiltins.register(r);
        IoBuiltins.register(r);
        JsonBuiltins.register(r);
        RegexBuiltins.register(r);
        VersionBuiltins.register(r);
        StoreBuiltins.register(r);
        FetchBuiltins.register(r);
        return Collections.unmodifiableMap(r.ops);
    }

    public static Map<String, PrimOp> all() {
        return ALL;
    }

    /** The global variable name of a builtin. */
    public static String globalName(String name) {
        return UNPREFIXED.contains(name) ? name : "__" + name;
    }
}
