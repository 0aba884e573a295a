package dev.flotilla.eval;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Deep forcing ({@code deepSeq}, {@code --strict}); iterative so long lists do not grow the stack.
 * An error gets one "while evaluating the attribute" frame per enclosing attribute, as Nix's
 * recursive version gives.
 */
public final class Deep {
    private Deep() {}

    /** The attribute a value was reached through, and the attribute enclosing that one. */
    private record Via(NixAttrs attrs, int index, Via parent) {}

    private record Item(Lazy value, Via via) {}

    public static Value force(Lazy l) {
        Value root = l.force();
        Set<Value> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Item> todo = new ArrayDeque<>();
        todo.push(new Item(root, null));
        while (!todo.isEmpty()) {
            Item item = todo.pop();
            Value v;
            try {
                v = item.value.force();
            } catch (EvalException e) {
                throw withPath(e, item.via);
            }
            if (!(v instanceof NixList || v instanceof NixAttrs) || !seen.add(v)) continue;
            if (v instanceof NixList list) {
                for (int k = list.size() - 1; k >= 0; k--) todo.push(new Item(list.get(k), item.via));
            } else if (v instanceof NixAttrs a) {
                int[] order = nixOrder(a);
                for (int k = order.length - 1; k >= 0; k--) todo.push(new Item(a.value(order[k]), new Via(a, order[k], item.via)));
            }
        }
        return root;
    }

    /**
     * The order Nix 2.8 walks a set's attributes in when forcing deeply: by symbol, which puts the
     * names it interns at start-up (outPath, drvPath, type, name, ...) first, in their order. The
     * rest follow by name; Nix would take them in the order it first read them.
     */
    static int[] nixOrder(NixAttrs a) {
        int n = a.size();
        int[] order = new int[n];
        int early = 0;
        for (int k = 0; k < n; k++) {
            if (StartupSymbols.rank(a.name(k)) >= 0) order[early++] = k;
        }
        if (early == 0) {
            for (int k = 0; k < n; k++) order[k] = k;
            return order;
        }
        Integer[] first = new Integer[early];
        for (int k = 0; k < early; k++) first[k] = order[k];
        java.util.Arrays.sort(first, java.util.Comparator.comparingInt(k -> StartupSymbols.rank(a.name(k))));
        int j = 0;
        for (Integer k : first) order[j++] = k;
        for (int k = 0; k < n; k++) {
            if (StartupSymbols.rank(a.name(k)) < 0) order[j++] = k;
        }
        return order;
    }

    private static EvalException withPath(EvalException e, Via via) {
        for (Via w = via; w != null; w = w.parent) {
            String name = w.attrs.name(w.index);
            e.addTrace(w.attrs.position(name), "while evaluating the attribute '" + name + "'");
        }
        return e;
    }
}
