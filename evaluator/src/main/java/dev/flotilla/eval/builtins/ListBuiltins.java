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

    /**
     * {@code fn arg}, applied when needed. Like Nix 2.8's lazily applied calls (map, genList) it
     * has no call site: errors of the call itself carry no position.
     */
    static Lazy call(Interpreter in, Lazy fn, Lazy arg) {
        return new Thunk(() -> in.apply(fn.force(), arg, Pos.NONE));
    }

    static Value map(Interpreter in, Lazy[] a, Pos pos) {
        NixList list = Force.list(a[1], pos);
        Lazy[] out = new Lazy[list.size()];
        for (int k = 0; k < out.length; k++) out[k] = call(in, a[0], list.get(k));
        return NixList.wrap(out);
    }

    static Value filter(Interpreter in, Lazy[] a, Pos pos) {
        NixList list = Force.list(a[1], pos);
        Value f = a[0].force();
        Lazy[] out = new Lazy[list.size()];
        int n = 0;
        for (int k = 0; k < out.length; k++) {
            Lazy x = list.get(k);
            // Nix 2.8 calls the predicate without a call site
            if (Force.bool(in.apply(f, x, Pos.NONE), pos)) out[n++] = x;
        }
        return n == out.length ? list : NixList.wrap(Arrays.copyOf(out, n));
    }

    static Value foldl(Interpreter in, Lazy[] a, Pos pos) {
        NixList list = Force.list(a[2], pos);
        Value f = a[0].force();
        Lazy acc = a[1];
        for (int k = 0; k < list.size(); k++) {
            acc = in.apply(in.apply(f, acc, pos), list.get(k), pos);
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
        Lazy[] rest = new Lazy[list.size() - 1];
        for (int k = 0; k < rest.length; k++) rest[k] = list.get(k + 1);
        return NixList.wrap(rest);
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
        NixList list = Force.list(a[1], pos);
        for (int k = 0; k < list.size(); k++) {
            if (Equality.equal(a[0], list.get(k), pos)) return NixBool.TRUE;
        }
        return NixBool.FALSE;
    }

    static Value concatLists(Interpreter in, Lazy[] a, Pos pos) {
        NixList lists = Force.list(a[0], pos);
        NixList[] parts = new NixList[lists.size()];
        for (int k = 0; k < parts.length; k++) parts[k] = Force.list(lists.get(k), pos);
        return joined(parts);
    }

    static Value concatMap(Interpreter in, Lazy[] a, Pos pos) {
        Value f = a[0].force();
        NixList list = Force.list(a[1], pos);
        NixList[] parts = new NixList[list.size()];
        for (int k = 0; k < parts.length; k++) parts[k] = Force.list(in.apply(f, list.get(k), pos), pos);
        return joined(parts);
    }

    /** The concatenation; like Nix, a single non-empty list is returned as it is. */
    static NixList joined(NixList[] parts) {
        int total = 0;
        NixList nonEmpty = null;
        for (NixList p : parts) {
            total += p.size();
            if (p.size() > 0) nonEmpty = p;
        }
        if (nonEmpty == null) return NixList.EMPTY;
        if (nonEmpty.size() == total) return nonEmpty;
        Lazy[] out = new Lazy[total];
        int n = 0;
        for (NixList p : parts) {
            for (int k = 0; k < p.size(); k++) out[n++] = p.get(k);
        }
        return NixList.wrap(out);
    }

    static Value genList(Interpreter in, Lazy[] a, Pos pos) {
        long n = Force.integer(a[1], pos);
        if (n < 0) throw new EvalException(pos, "cannot create list of size " + n);
        if (n > Integer.MAX_VALUE - 8) throw new EvalException(pos, "cannot create list of size " + n);
        Lazy[] out = new Lazy[(int) n];
        for (int k = 0; k < out.length; k++) out[k] = call(in, a[0], new NixInt(k));
        return NixList.wrap(out);
    }

    static Value sort(Interpreter in, Lazy[] a, Pos pos) {
        Lazy[] items = Force.list(a[1], pos).toArray();
        Value f = a[0].force();
        mergeSort(items, new Lazy[items.length], 0, items.length, (x, y) -> Force.bool(in.apply(f, pos, x, y), pos));
        return NixList.wrap(items);
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
