package dev.flotilla.eval.builtins;

import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Force;
import dev.flotilla.eval.Interpreter;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixBool;
import dev.flotilla.eval.NixFunction;
import dev.flotilla.eval.NixList;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Thunk;
import dev.flotilla.eval.Value;
import dev.flotilla.eval.syntax.Expr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Attribute-set functions. */
final class AttrBuiltins {
    private AttrBuiltins() {}

    static void register(Registry r) {
        r.add("attrNames", 1, AttrBuiltins::attrNames);
        r.add("attrValues", 1, AttrBuiltins::attrValues);
        r.add("hasAttr", 2, AttrBuiltins::hasAttr);
        r.add("getAttr", 2, AttrBuiltins::getAttr);
        r.add("removeAttrs", 2, AttrBuiltins::removeAttrs);
        r.add("listToAttrs", 1, AttrBuiltins::listToAttrs);
        r.add("mapAttrs", 2, AttrBuiltins::mapAttrs);
        r.add("intersectAttrs", 2, AttrBuiltins::intersectAttrs);
        r.add("catAttrs", 2, AttrBuiltins::catAttrs);
        r.add("zipAttrsWith", 2, AttrBuiltins::zipAttrsWith);
        r.add("functionArgs", 1, AttrBuiltins::functionArgs);
        r.add("unsafeGetAttrPos", 2, AttrBuiltins::unsafeGetAttrPos);
    }

    static Value attrNames(Interpreter in, Lazy[] a, Pos pos) {
        List<Lazy> out = new ArrayList<>();
        for (String n : Force.attrs(a[0], pos).names()) out.add(new NixString(n));
        return new NixList(out);
    }

    static Value attrValues(Interpreter in, Lazy[] a, Pos pos) {
        NixAttrs s = Force.attrs(a[0], pos);
        List<Lazy> out = new ArrayList<>(s.size());
        for (int k = 0; k < s.size(); k++) out.add(s.value(k));
        return new NixList(out);
    }

    static Value hasAttr(Interpreter in, Lazy[] a, Pos pos) {
        String name = Force.stringNoContext(a[0], pos);
        return NixBool.of(Force.attrs(a[1], pos).has(name));
    }

    static Value getAttr(Interpreter in, Lazy[] a, Pos pos) {
        String name = Force.stringNoContext(a[0], pos);
        NixAttrs s = Force.attrs(a[1], pos);
        Lazy v = s.get(name);
        if (v == null) throw missing(name, "getAttr", s, pos);
        return v.force();
    }

    /**
     * Nix 2.8's words when a builtin needs an attribute that a set lacks: reported at the set if it
     * was written out (with a frame at the call), else at the call.
     */
    public static EvalException missing(String name, String builtin, NixAttrs set, Pos call) {
        String msg = "attribute '" + name + "' missing for call to '" + builtin + "'";
        if (set.writtenAt() == null) return new EvalException(call, msg);
        return new EvalException(set.writtenAt(), msg).addTrace(call, "while invoking '" + builtin + "'");
    }

    static Value removeAttrs(Interpreter in, Lazy[] a, Pos pos) {
        NixAttrs s = Force.attrs(a[0], pos);
        Set<String> names = new HashSet<>();
        for (Lazy x : Force.list(a[1], pos).items()) names.add(Force.stringNoContext(x, pos));
        return s.without(names);
    }

    static Value listToAttrs(Interpreter in, Lazy[] a, Pos pos) {
        NixAttrs.Builder b = NixAttrs.builder();
        for (Lazy x : Force.list(a[0], pos).items()) {
            NixAttrs e = Force.attrs(x, pos);
            Lazy name = e.get("name");
            if (name == null) throw missing("name", "listToAttrs", e, pos);
            String n = Force.stringNoContext(name, pos);
            if (b.has(n)) continue; // the first occurrence wins
            Lazy value = e.get("value");
            if (value == null) throw missing("value", "listToAttrs", e, pos);
            b.put(n, value, e.position("value"));
        }
        return b.build();
    }

    static Value mapAttrs(Interpreter in, Lazy[] a, Pos pos) {
        NixAttrs s = Force.attrs(a[1], pos);
        NixAttrs.Builder b = NixAttrs.builder();
        for (int k = 0; k < s.size(); k++) {
            NixString name = new NixString(s.name(k));
            Lazy v = s.value(k);
            // Nix 2.8's mapAttrs gives the new attributes no position (unsafeGetAttrPos is null).
            b.put(s.name(k), new Thunk(() -> in.apply(a[0].force(), Pos.NONE, name, v)), null);
        }
        return b.build();
    }

    static Value intersectAttrs(Interpreter in, Lazy[] a, Pos pos) {
        NixAttrs x = Force.attrs(a[0], pos);
        NixAttrs y = Force.attrs(a[1], pos);
        NixAttrs.Builder b = NixAttrs.builder();
        for (int k = 0; k < y.size(); k++) {
            if (x.has(y.name(k))) b.put(y.name(k), y.value(k), y.position(y.name(k)));
        }
        return b.build();
    }

    static Value catAttrs(Interpreter in, Lazy[] a, Pos pos) {
        String name = Force.stringNoContext(a[0], pos);
        List<Lazy> out = new ArrayList<>();
        for (Lazy x : Force.list(a[1], pos).items()) {
            Lazy v = Force.attrs(x, pos).get(name);
            if (v != null) out.add(v);
        }
        return new NixList(out);
    }

    static Value zipAttrsWith(Interpreter in, Lazy[] a, Pos pos) {
        Map<String, List<Lazy>> acc = new LinkedHashMap<>();
        for (Lazy x : Force.list(a[1], pos).items()) {
            NixAttrs s = Force.attrs(x, pos);
            for (int k = 0; k < s.size(); k++) acc.computeIfAbsent(s.name(k), n -> new ArrayList<>()).add(s.value(k));
        }
        NixAttrs.Builder b = NixAttrs.builder();
        acc.forEach((n, vs) -> {
            NixString name = new NixString(n);
            NixList list = new NixList(vs);
            // applied lazily, so without a call site, as Nix 2.8's mapAttrs and zipAttrsWith
            b.put(n, new Thunk(() -> in.apply(a[0].force(), Pos.NONE, name, list)));
        });
        return b.build();
    }

    static Value functionArgs(Interpreter in, Lazy[] a, Pos pos) {
        Value f = a[0].force();
        if (f instanceof NixFunction.PrimOp || f instanceof NixFunction.PrimOpApp) return NixAttrs.EMPTY;
        if (!(f instanceof NixFunction.Lambda l)) throw new EvalException(pos, "'functionArgs' requires a function");
        Expr.Formals fs = l.expr().formals();
        if (fs == null) return NixAttrs.EMPTY;
        NixAttrs.Builder b = NixAttrs.builder();
        for (Expr.Formal x : fs.formals()) b.put(x.name(), NixBool.of(x.defaultValue() != null), x.pos());
        return b.build();
    }

    static Value unsafeGetAttrPos(Interpreter in, Lazy[] a, Pos pos) {
        String name = Force.stringNoContext(a[0], pos);
        NixAttrs s = Force.attrs(a[1], pos);
        return in.position(s.has(name) ? s.position(name) : null);
    }
}
