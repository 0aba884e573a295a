package dev.flotilla.eval.syntax;

import dev.flotilla.eval.ParseException;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.syntax.Expr.AttrName;
import dev.flotilla.eval.syntax.Expr.Attrs;
import dev.flotilla.eval.syntax.Expr.Binding;
import dev.flotilla.eval.syntax.Expr.DynamicBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Mutable attribute-set under construction while parsing {@code binds}: applies Nix's rules for
 * nested keys ({@code a.b = 1; a.c = 2;}), merging with literal sets and duplicate detection.
 */
final class AttrsBuilder {
    private record Entry(Object value, boolean inherited, Pos pos) {}

    /** A binding under an interpolated key; {@code value} is an Expr or a nested builder. */
    private record DynEntry(Expr name, Object value, Pos pos) {}

    private final Pos pos;
    private boolean rec;
    private final TreeMap<String, Entry> attrs = new TreeMap<>();
    private final List<DynEntry> dynamics = new ArrayList<>();

    AttrsBuilder(Pos pos, boolean rec) {
        this.pos = pos;
        this.rec = rec;
    }

    static AttrsBuilder thaw(Attrs a) {
        AttrsBuilder b = new AttrsBuilder(a.pos(), a.rec());
        for (Binding bd : a.bindings()) {
            b.attrs.put(bd.name(), new Entry(bd.value(), bd.inherited(), bd.pos()));
        }
        a.dynamics().forEach(d -> b.dynamics.add(new DynEntry(d.name(), d.value(), d.pos())));
        return b;
    }

    boolean hasDynamics() {
        return !dynamics.isEmpty();
    }

    void inherit(String name, Expr value, boolean inherited, Pos at) {
        Entry old = attrs.get(name);
        if (old != null) throw dup(name, at, old.pos);
        attrs.put(name, new Entry(value, inherited, at));
    }

    void add(List<AttrName> path, Expr value, Pos at) {
        AttrsBuilder cur = this;
        for (int k = 0; k < path.size() - 1; k++) {
            AttrName n = path.get(k);
            if (!n.isStatic()) {
                AttrsBuilder nested = new AttrsBuilder(at, false);
                cur.dynamics.add(new DynEntry(n.dynamic(), nested, at));
                cur = nested;
                continue;
            }
            Entry e = cur.attrs.get(n.name());
            if (e == null) {
                AttrsBuilder nested = new AttrsBuilder(at, false);
                cur.attrs.put(n.name(), new Entry(nested, false, at));
                cur = nested;
            } else if (!e.inherited && e.value instanceof AttrsBuilder b) {
                cur = b;
            } else if (!e.inherited && e.value instanceof Attrs a) {
                AttrsBuilder b = thaw(a);
                cur.attrs.put(n.name(), new Entry(b, false, e.pos));
                cur = b;
            } else {
                throw dup(path, at, e.pos);
            }
        }
        AttrName last = path.get(path.size() - 1);
        if (!last.isStatic()) {
            cur.dynamics.add(new DynEntry(last.dynamic(), value, at));
            return;
        }
        Entry e = cur.attrs.get(last.name());
        if (e == null) {
            cur.attrs.put(last.name(), new Entry(value, false, at));
            return;
        }
        AttrsBuilder existing = e.inherited ? null
                : e.value instanceof AttrsBuilder b ? b
                : e.value instanceof Attrs a ? thaw(a) : null;
        if (existing == null || !(value instanceof Attrs added)) throw dup(path, at, e.pos);
        for (Binding bd : added.bindings()) {
            if (existing.attrs.containsKey(bd.name())) throw dup(bd.name(), bd.pos(), existing.attrs.get(bd.name()).pos);
            existing.attrs.put(bd.name(), new Entry(bd.value(), bd.inherited(), bd.pos()));
        }
        // The later literal's dynamic attributes are dropped, as Nix 2.8 drops them ({ a = { x = 1; };
        // a = { "${"y"}" = 2; }; } is { a = { x = 1; }; }); later versions of Nix keep them.
        cur.attrs.put(last.name(), new Entry(existing, false, e.pos));
    }

    Attrs build() {
        List<Binding> bs = new ArrayList<>(attrs.size());
        attrs.forEach((name, e) -> bs.add(new Binding(name, freeze(e.value), e.inherited, e.pos)));
        List<DynamicBinding> ds = dynamics.stream()
                .map(d -> new DynamicBinding(d.name(), freeze(d.value()), d.pos()))
                .collect(Collectors.toList());
        return new Attrs(pos, rec, List.copyOf(bs), List.copyOf(ds));
    }

    private static Expr freeze(Object v) {
        if (v instanceof AttrsBuilder b) return b.build();
        return (Expr) v;
    }

    private static ParseException dup(List<AttrName> path, Pos at, Pos before) {
        String shown = path.stream().map(n -> n.isStatic() ? n.name() : "\"${...}\"").collect(Collectors.joining("."));
        return dup(shown, at, before);
    }

    private static ParseException dup(String name, Pos at, Pos before) {
        return new ParseException(at, "attribute '" + name + "' already defined at " + before);
    }

}
