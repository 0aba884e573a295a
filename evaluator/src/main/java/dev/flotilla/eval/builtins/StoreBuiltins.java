package dev.flotilla.eval.builtins;

import dev.flotilla.eval.Coercion;
import dev.flotilla.eval.Coercion.Mode;
import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Force;
import dev.flotilla.eval.Interpreter;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixBool;
import dev.flotilla.eval.NixList;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.SessionStore;
import dev.flotilla.eval.Value;
import dev.flotilla.eval.store.Hashes;
import dev.flotilla.eval.syntax.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Store-related builtins and string-context introspection. */
final class StoreBuiltins {
    private StoreBuiltins() {}

    static void register(Registry r) {
        r.add("toFile", 2, StoreBuiltins::toFile);
        r.add("placeholder", 1, StoreBuiltins::placeholder);
        r.add("storePath", 1, StoreBuiltins::storePath);
        r.add("unsafeDiscardStringContext", 1, StoreBuiltins::unsafeDiscardStringContext);
        r.add("unsafeDiscardOutputDependency", 1, StoreBuiltins::unsafeDiscardOutputDependency);
        r.add("hasContext", 1, StoreBuiltins::hasContext);
        r.add("getContext", 1, StoreBuiltins::getContext);
        r.add("appendContext", 2, StoreBuiltins::appendContext);
        r.add("derivationStrict", 1, Derivations::derivationStrict);
        r.add("path", 1, StoreBuiltins::path);
        r.add("filterSource", 2, StoreBuiltins::filterSource);
    }

    /** {@code builtins.path { path, name ? baseNameOf path, filter ? null, recursive ? true, sha256 ? null }}. */
    static Value path(Interpreter in, Lazy[] a, Pos pos) {
        NixAttrs args = Force.attrs(a[0], pos);
        String path = null, name = null;
        Value filter = null;
        boolean recursive = true;
        byte[] expected = null;
        for (int k = 0; k < args.size(); k++) {
            String n = args.name(k);
            Lazy v = args.value(k);
            Pos at = args.position(n) != null ? args.position(n) : pos;
            switch (n) {
                case "path" -> path = Coercion.coercePath(in, v, at);
                case "name" -> name = Force.stringNoContext(v, at);
                case "filter" -> filter = v.force();
                case "recursive" -> recursive = Force.bool(v, at);
                case "sha256" -> expected = sha256(Force.stringNoContext(v, at), at);
                default -> throw new EvalException(at, "unsupported argument '" + n + "' to 'addPath'");
            }
        }
        if (path == null) throw new EvalException(pos, "'path' required");
        if (name == null || name.isEmpty()) name = Paths.baseNameOf(path);
        return added(in, path, name, recursive, filter, expected, pos);
    }

    /** {@code filterSource f path}: {@code builtins.path { inherit path; filter = f; }}. */
    static Value filterSource(Interpreter in, Lazy[] a, Pos pos) {
        String path = Coercion.coercePath(in, a[1], pos);
        Value f = a[0].force();
        if (!Force.isFunction(f)) {
            throw new EvalException(pos, "first argument in call to 'filterSource' is not a function but " + f.showType());
        }
        return added(in, path, Paths.baseNameOf(path), true, f, null, pos);
    }

    private static Value added(Interpreter in, String path, String name, boolean recursive, Value filter, byte[] expected, Pos pos) {
        SessionStore.Filter keep = filter == null ? null
                : (p, type) -> Force.bool(in.apply(filter, pos, new NixString(p), new NixString(type)), pos);
        String sp;
        try {
            sp = in.session().store().addPath(path, name, recursive, keep, expected, pos);
        } catch (EvalException e) {
            throw e.addTrace(pos, "while adding path '" + path + "'");
        }
        return new NixString(sp, Set.of(sp));
    }

    private static byte[] sha256(String s, Pos pos) {
        if (s.isEmpty()) return new byte[32]; // Nix warns and assumes a hash that will not match
        String digest = s.startsWith("sha256-") || s.startsWith("sha256:") ? s.substring(7) : s;
        byte[] h = Hashes.parse("sha256", digest);
        if (h == null) throw new EvalException(pos, "invalid SHA-256 hash '" + s + "'");
        return h;
    }

    static Value toFile(Interpreter in, Lazy[] a, Pos pos) {
        String name = Force.stringNoContext(a[0], pos);
        NixString contents = Force.string(a[1], pos);
        TreeSet<String> refs = new TreeSet<>();
        for (String c : new TreeSet<>(contents.context())) {
            if (c.startsWith("=") || c.startsWith("!")) {
                throw new EvalException(pos, "in 'toFile': the file named '" + name
                        + "' must not contain a reference to a derivation but contains (" + c + ")");
            }
            refs.add(c);
        }
        String sp = in.session().store().addText(name, contents.value(), refs, pos);
        return new NixString(sp, Set.of(sp));
    }

    /** The placeholder that the builder replaces by the output's path: {@code /} + nix32(sha256("nix-output:" + name)). */
    static Value placeholder(Interpreter in, Lazy[] a, Pos pos) {
        String out = Force.stringNoContext(a[0], pos);
        return new NixString("/" + Hashes.nix32(Hashes.sha256("nix-output:" + out)));
    }

    static Value storePath(Interpreter in, Lazy[] a, Pos pos) {
        String p = Coercion.coercePath(in, a[0], pos);
        if (!in.session().store().isStorePath(p)) throw new EvalException(pos, "path '" + p + "' is not in the Nix store");
        return new NixString(p, Set.of(p));
    }

    static Value unsafeDiscardStringContext(Interpreter in, Lazy[] a, Pos pos) {
        return new NixString(Coercion.toNixString(in, a[0], Mode.INTERPOLATE, true, pos).value());
    }

    static Value unsafeDiscardOutputDependency(Interpreter in, Lazy[] a, Pos pos) {
        NixString s = Coercion.toNixString(in, a[0], Mode.INTERPOLATE, true, pos);
        Set<String> ctx = new HashSet<>();
        for (String c : s.context()) ctx.add(c.startsWith("=") ? c.substring(1) : c);
        return new NixString(s.value(), ctx);
    }

    static Value hasContext(Interpreter in, Lazy[] a, Pos pos) {
        return NixBool.of(!Force.string(a[0], pos).context().isEmpty());
    }

    static Value getContext(Interpreter in, Lazy[] a, Pos pos) {
        NixString s = Force.string(a[0], pos);
        TreeMap<String, boolean[]> flags = new TreeMap<>();
        TreeMap<String, TreeSet<String>> outputs = new TreeMap<>();
        for (String c : s.context()) {
            if (c.startsWith("=")) {
                flags.computeIfAbsent(c.substring(1), k -> new boolean[2])[1] = true;
            } else if (c.startsWith("!")) {
                int bang = c.indexOf('!', 1);
                String drv = c.substring(bang + 1);
                flags.computeIfAbsent(drv, k -> new boolean[2]);
                outputs.computeIfAbsent(drv, k -> new TreeSet<>()).add(c.substring(1, bang));
            } else {
                flags.computeIfAbsent(c, k -> new boolean[2])[0] = true;
            }
        }
        NixAttrs.Builder b = NixAttrs.builder();
        flags.forEach((path, f) -> {
            NixAttrs.Builder e = NixAttrs.builder();
            if (f[0]) e.put("path", NixBool.TRUE);
            if (f[1]) e.put("allOutputs", NixBool.TRUE);
            TreeSet<String> outs = outputs.get(path);
            if (outs != null) {
                List<Lazy> l = new ArrayList<>();
                outs.forEach(o -> l.add(new NixString(o)));
                e.put("outputs", new NixList(l));
            }
            b.put(path, e.build());
        });
        return b.build();
    }

    static Value appendContext(Interpreter in, Lazy[] a, Pos pos) {
        NixString s = Force.string(a[0], pos);
        Set<String> ctx = new HashSet<>(s.context());
        NixAttrs spec = Force.attrs(a[1], pos);
        for (int k = 0; k < spec.size(); k++) {
            String path = spec.name(k);
            if (!in.session().store().isStorePath(path)) {
                throw new EvalException(pos, "context key '" + path + "' is not a store path");
            }
            NixAttrs e = Force.attrs(spec.value(k), pos);
            Lazy p = e.get("path");
            if (p != null && Force.bool(p, pos)) ctx.add(path);
            Lazy all = e.get("allOutputs");
            if (all != null && Force.bool(all, pos)) ctx.add("=" + path);
            Lazy outs = e.get("outputs");
            if (outs != null) {
                for (Lazy o : Force.list(outs, pos).items()) ctx.add("!" + Force.stringNoContext(o, pos) + "!" + path);
            }
        }
        return new NixString(s.value(), ctx);
    }
}
