package dev.flotilla.eval.builtins;

import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Equality;
import dev.flotilla.eval.Force;
import dev.flotilla.eval.Interpreter;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixBool;
import dev.flotilla.eval.NixInt;
import dev.flotilla.eval.NixList;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Thunk;
import dev.flotilla.eval.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** List functions. Element-wise results stay lazy, as in Nix. */
final class ListBuiltins {
    private ListBuiltins() {}

    static void register(Registry r) {
        r.add("map", 2, ListBuiltins::map);
        r.add("filter", 2, ListBuiltins::filter);
        r.add("foldl'", 3, ListBuiltins::foldl);
        r.add("head", 1, ListBuiltins::head);
        r.add("tail", 1, ListBuiltins::tail);
        r.add("length", 1, ListBuiltins::length);
        r.add("elemAt", 2, ListBuiltins::elemAt);
        r.add("elem", 2, ListBuiltins::elem);
        r.add("concatLists", 1, ListBuiltins::concatLists);
        r.add("concatMap", 2, ListBuiltins::concatMap);
        r.add("genList", 2, ListBuiltins::genList);
        r.add("sort", 2, ListBuiltins::sort);
        r.add("all", 2, ListBuiltins::all);
        r.add("any", 2, ListBuiltins::any);
        r.add("partition", 2, ListBuiltins::partition);
        r.add("groupBy", 2, ListBuiltins::groupBy);
    }

    static Lazy call(Interpreter in, Lazy fn, Lazy arg, Pos pos) {
        return new Thunk(() -> in.apply(fn.force(), arg, pos));
    }

    static Value map(Interpreter in, Lazy[] a, Pos pos) {
        NixList list = Force.list(a[1], pos);
        List<Lazy> out = new ArrayList<>(list.size());
        for (Lazy x : list.items()) out.add(call(in, a[0], x, pos));
        return new NixList(out);
    }

    static Value filter(Interpreter in, Lazy[] a, Pos pos) {
        NixList list = Force.list(a[1], pos);
        Value f = a[0].force();
        List<Lazy> out = new ArrayList<>();
        for (Lazy x : list.items()) {
            if (Force.bool(in.apply(f, x, pos), pos)) out.add(x);
        }
        return out.size() == list.size() ? list : new NixList(out);
    }

    static Value foldl(Interpreter in, Lazy[] a, Pos pos) {
        NixList list = Force.list(a[2], pos);
        Value f = a[0].force();
        Lazy acc = a[1];
        for (Lazy x : list.items()) {
            acc = in.apply(in.apply(f, acc, pos), x, pos);
        }
        return acc.force();
    }

    static Value head(Interpreter in, Lazy[] a, Pos pos) {
        NixList list = Force.list(a[0], pos);
        if (list.size() == 0) throw new EvalException(pos, "list index 0 is out of bounds");
        return list.get(0).force();
    }

    static Value tail(Interpreter in, Lazy[] a, Pos pos) {
        NixList list = Force.list(a[0], pos);
        if (list.size() == 0) throw new EvalException(pos, "'tail' called on an empty list");
        return new NixList(list.items().subList(1, list.size()));
    }

    static Value length(Interpreter in, Lazy[] a, Pos pos) {
        return new NixInt(Force.list(a[0], pos).size());
    }

    static Value elemAt(Interpreter in, Lazy[] a, Pos pos) {
        NixList list = Force.list(a[0], pos);
        long n = Force.integer(a[1], pos);
        if (n < 0 || n >= list.size()) throw new EvalException(pos, "list index " + n + " is out of bounds");
        return list.get((int) n).force();
    }

    static Value elem(Interpreter in, Lazy[] a, Pos pos) {
        for (Lazy x : Force.list(a[1], pos).items()) {
            if (Equality.equal(a[0], x, pos)) return NixBool.TRUE;
        }
        return NixBool.FALSE;
    }

    static Value concatLists(Interpreter in, Lazy[] a, Pos pos) {
        List<Lazy> out = new ArrayList<>();
        for (Lazy x : Force.list(a[0], pos).items()) out.addAll(Force.list(x, pos).items());
        return new NixList(out);
    }

    static Value concatMap(Interpreter in, Lazy[] a, Pos pos) {
        Value f = a[0].force();
        List<Lazy> out = new ArrayList<>();
        for (Lazy x : Force.list(a[1], pos).items()) out.addAll(Force.list(in.apply(f, x, pos), pos).items());
        return new NixList(out);
    }

    static Value genList(Interpreter in, Lazy[] a, Pos pos) {
        long n = Force.integer(a[1], pos);
        if (n < 0) throw new EvalException(pos, "cannot create list of size " + n);
        List<Lazy> out = new ArrayList<>((int) n);
        for (long k = 0; k < n; k++) out.add(call(in, a[0], new NixInt(k), pos));
        return new NixList(out);
    }

    static Value sort(Interpreter in, Lazy[] a, Pos pos) {
        Lazy[] items = Force.list(a[1], pos).items().toArray(Lazy[]::new);
        Value f = a[0].force();
        mergeSort(items, new Lazy[items.length], 0, items.length, (x, y) -> Force.bool(in.apply(f, pos, x, y), pos));
        return new NixList(Arrays.asList(items));
    }

    private interface Less {
        boolean test(Lazy x, Lazy y);
    }

    /** Stable, like Nix's std::stable_sort; takes from the right half only when strictly less. */
    private static void mergeSort(Lazy[] xs, Lazy[] tmp, int from, int to, Less less) {
        if (to - from < 2) return;
        int mid = (from + to) >>> 1;
        mergeSort(xs, tmp, from, mid, less);
        mergeSort(xs, tmp, mid, to, less);
        int i = from, j = mid, k = from;
        while (i < mid && j < to) tmp[k++] = less.test(xs[j], xs[i]) ? xs[j++] : xs[i++];
        while (i < mid) tmp[k++] = xs[i++];
        while (j < to) tmp[k++] = xs[j++];
        System.arraycopy(tmp, from, xs, from, to - from);
    }

    static Value all(Interpreter in, Lazy[] a, Pos pos) {
        Value f = a[0].force();
        for (Lazy x : Force.list(a[1], pos).items()) {
            if (!Force.bool(in.apply(f, x, pos), pos)) return NixBool.FALSE;
        }
        return NixBool.TRUE;
    }

    static Value any(Interpreter in, Lazy[] a, Pos pos) {
        Value f = a[0].force();
        for (Lazy x : Force.list(a[1], pos).items()) {
            if (Force.bool(in.apply(f, x, pos), pos)) return NixBool.TRUE;
        }
        return NixBool.FALSE;
    }

    static Value partition(Interpreter in, Lazy[] a, Pos pos) {
        Value f = a[0].force();
        List<Lazy> right = new ArrayList<>(), wrong = new ArrayList<>();
        for (Lazy x : Force.list(a[1], pos).items()) {
            (Force.bool(in.apply(f, x, pos), pos) ? right : wrong).add(x);
        }
        return NixAttrs.builder().put("right", new NixList(right)).put("wrong", new NixList(wrong)).build();
    }

    static Value groupBy(Interpreter in, Lazy[] a, Pos pos) {
        Value f = a[0].force();
        Map<String, List<Lazy>> groups = new LinkedHashMap<>();
        for (Lazy x : Force.list(a[1], pos).items()) {
            String key = Force.stringNoContext(in.apply(f, x, pos), pos);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(x);
        }
        NixAttrs.Builder b = NixAttrs.builder();
        groups.forEach((k, v) -> b.put(k, new NixList(v)));
        return b.build();
    }
}
