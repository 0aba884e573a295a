package dev.flotilla.eval.builtins;

import dev.flotilla.eval.Coercion;
import dev.flotilla.eval.Coercion.Mode;
import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Force;
import dev.flotilla.eval.Interpreter;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixNull;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.SessionStore;
import dev.flotilla.eval.Value;
import dev.flotilla.eval.print.JsonPrinter;
import dev.flotilla.eval.store.Hashes;
import dev.flotilla.eval.store.StorePaths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code derivationStrict}: turns the attributes into a derivation, computes its output paths
 * ({@code hashDerivationModulo}) and its {@code .drv} path, as specified in nix-store-formats.md §4.
 */
final class Derivations {
    private Derivations() {}

    /** One output; {@code hashAlgo}/{@code hash} are set for fixed outputs only. */
    record Output(String path, String hashAlgo, String hash) {}

    /** The data of a .drv file. */
    record Drv(SortedMap<String, Output> outputs, SortedMap<String, TreeSet<String>> inputDrvs, TreeSet<String> inputSrcs,
               String platform, String builder, List<String> args, SortedMap<String, String> env) {}

    static Value derivationStrict(Interpreter in, Lazy[] a, Pos pos) {
        NixAttrs attrs = Force.attrs(a[0], pos);
        Lazy nameL = attrs.get("name");
        if (nameL == null) throw AttrBuiltins.missing("name", "derivationStrict", attrs, pos);
        String name = Force.stringNoContext(nameL, pos);
        // Like Nix, errors about the derivation as a whole point at its 'name' attribute.
        Pos namePos = attrs.position("name") != null ? attrs.position("name") : pos;
        if (name.endsWith(".drv")) throw new EvalException(namePos, "derivation names are not allowed to end in '.drv'");
        boolean structured = flag(attrs, "__structuredAttrs", pos);
        boolean ignoreNulls = flag(attrs, "__ignoreNulls", pos);

        Set<String> ctx = new HashSet<>();
        TreeMap<String, String> env = new TreeMap<>();
        List<String> args = new ArrayList<>();
        List<String> outputNames = new ArrayList<>(List.of("out"));
        String builder = null, platform = null;
        NixAttrs.Builder jsonAttrs = NixAttrs.builder();
        for (int k = 0; k < attrs.size(); k++) {
            String key = attrs.name(k);
            Lazy v = attrs.value(k);
            try {
                v.force();
            } catch (EvalException e) {
                throw e.addTrace(namePos, "while evaluating the attribute '" + key + "' of the derivation '" + name + "'");
            }
            if (key.equals("__ignoreNulls")) continue;
            if (ignoreNulls && v.force() == NixNull.NULL) continue;
            if (key.equals("args")) {
                for (Lazy x : Force.list(v, pos).items()) args.add(Coercion.coerce(in, x, ctx, Mode.TO_STRING, true, pos));
                continue;
            }
            if (key.equals("outputs")) outputNames = outputs(v, pos);
            if (structured) {
                if (!key.equals("__structuredAttrs")) jsonAttrs.put(key, v);
                if (key.equals("builder")) builder = Coercion.coerce(in, v, ctx, Mode.TO_STRING, true, pos);
                if (key.equals("system")) platform = Coercion.coerce(in, v, ctx, Mode.TO_STRING, true, pos);
                continue;
            }
            String s = Coercion.coerce(in, v, ctx, Mode.TO_STRING, true, pos);
            env.put(key, s);
            if (key.equals("builder")) builder = s;
            if (key.equals("system")) platform = s;
        }
        if (structured) env.put("__json", JsonPrinter.print(in, jsonAttrs.build(), ctx, pos));
        if (builder == null) throw new EvalException(namePos, "required attribute 'builder' missing");
        if (platform == null) throw new EvalException(namePos, "required attribute 'system' missing");

        SessionStore store = in.session().store();
        TreeMap<String, TreeSet<String>> inputDrvs = new TreeMap<>();
        TreeSet<String> inputSrcs = new TreeSet<>();
        for (String c : ctx) {
            if (c.startsWith("!")) {
                int bang = c.indexOf('!', 1);
                inputDrvs.computeIfAbsent(c.substring(bang + 1), d -> new TreeSet<>()).add(c.substring(1, bang));
            } else if (c.startsWith("=")) {
                inputSrcs.add(c.substring(1));
            } else {
                inputSrcs.add(c);
            }
        }

        TreeMap<String, Output> outputs = new TreeMap<>();
        Lazy outputHash = attrs.get("outputHash");
        String hashModulo;
        if (outputHash != null) {
            if (!outputNames.equals(List.of("out"))) throw new EvalException(pos, "multiple outputs are not supported in fixed-output derivations");
            Output o = fixedOutput(in, attrs, name, Force.stringNoContext(outputHash, pos), pos);
            outputs.put("out", o);
            env.put("out", o.path());
            hashModulo = Hashes.hex(Hashes.sha256("fixed:out:" + o.hashAlgo() + ":" + o.hash() + ":" + o.path()));
        } else {
            for (String o : outputNames) {
                outputs.put(o, new Output("", "", ""));
                env.put(o, "");
            }
            Drv blank = new Drv(outputs, inputDrvs, inputSrcs, platform, builder, args, env);
            byte[] h = Hashes.sha256(ATerm.write(blank, replacedInputs(in, inputDrvs, pos), true));
            for (String o : outputNames) {
                String outName = o.equals("out") ? name : name + "-" + o;
                // checked here, before the .drv is named: Nix rejects a bad name at its first output path
                String path = store.checked(StorePaths.make(store.storeDir(), "output:" + o, h, outName), outName, pos);
                outputs.put(o, new Output(path, "", ""));
                env.put(o, path);
            }
            hashModulo = null;
        }
        Drv drv = new Drv(outputs, inputDrvs, inputSrcs, platform, builder, args, env);
        String aterm = ATerm.write(drv, null, false);
        TreeSet<String> refs = new TreeSet<>(inputSrcs);
        refs.addAll(inputDrvs.keySet());
        String drvPath = store.addText(name + ".drv", aterm, refs, pos);
        store.addDerivation(drvPath, aterm);
        if (hashModulo == null) hashModulo = Hashes.hex(Hashes.sha256(ATerm.write(drv, replacedInputs(in, inputDrvs, pos), false)));
        in.session().rememberDrvHash(drvPath, hashModulo);

        NixAttrs.Builder result = NixAttrs.builder();
        result.put("drvPath", new NixString(drvPath, Set.of("=" + drvPath)));
        outputs.forEach((o, out) -> result.put(o, new NixString(out.path(), Set.of("!" + o + "!" + drvPath))));
        return result.build();
    }

    private static boolean flag(NixAttrs attrs, String name, Pos pos) {
        Lazy v = attrs.get(name);
        return v != null && Force.bool(v, pos);
    }

    private static List<String> outputs(Lazy v, Pos pos) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (Lazy x : Force.list(v, pos).items()) {
            String o = Force.stringNoContext(x, pos);
            if (o.equals("drv")) throw new EvalException(pos, "invalid derivation output name 'drv'");
            if (!names.add(o)) throw new EvalException(pos, "duplicate derivation output '" + o + "'");
        }
        if (names.isEmpty()) throw new EvalException(pos, "derivation cannot have an empty set of outputs");
        return List.copyOf(names);
    }

    private static Output fixedOutput(Interpreter in, NixAttrs attrs, String name, String hashStr, Pos pos) {
        Lazy algoL = attrs.get("outputHashAlgo");
        String algo = algoL == null ? "" : Force.stringNoContext(algoL, pos);
        Lazy modeL = attrs.get("outputHashMode");
        String mode = modeL == null ? "flat" : Force.stringNoContext(modeL, pos);
        if (!mode.equals("flat") && !mode.equals("recursive")) throw new EvalException(pos, "invalid value '" + mode + "' for 'outputHashMode' attribute");
        String digest = hashStr;
        int colon = hashStr.indexOf(':');
        int dash = hashStr.indexOf('-');
        if (colon > 0) {
            algo = hashStr.substring(0, colon);
            digest = hashStr.substring(colon + 1);
        } else if (dash > 0 && Hashes.known(hashStr.substring(0, dash))) {
            algo = hashStr.substring(0, dash);
            digest = hashStr.substring(dash + 1);
        }
        if (!Hashes.known(algo)) throw new EvalException(pos, "unknown hash algorithm '" + algo + "'");
        byte[] h = Hashes.parse(algo, digest);
        if (h == null) throw new EvalException(pos, "invalid hash '" + hashStr + "'");
        boolean rec = mode.equals("recursive");
        String path = StorePaths.fixed(in.session().store().storeDir(), rec, algo, h, name);
        return new Output(path, (rec ? "r:" : "") + algo, Hashes.hex(h));
    }

    /** inputDrvs keyed by the hex of each input's (unmasked) modulo hash, merging collisions. */
    private static SortedMap<String, TreeSet<String>> replacedInputs(Interpreter in, SortedMap<String, TreeSet<String>> inputDrvs, Pos pos) {
        TreeMap<String, TreeSet<String>> out = new TreeMap<>();
        inputDrvs.forEach((drv, outs) -> {
            String h = in.session().drvHash(drv);
            if (h == null) throw new EvalException(pos, "derivation '" + drv + "' is not known to this evaluation");
            out.computeIfAbsent(h, k -> new TreeSet<>()).addAll(outs);
        });
        return out;
    }
}
