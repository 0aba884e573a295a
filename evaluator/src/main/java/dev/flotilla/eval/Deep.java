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
                for (int k = a.size() - 1; k >= 0; k--) todo.push(new Item(a.value(k), new Via(a, k, item.via)));
            }
        }
        return root;
    }

    private static EvalException withPath(EvalException e, Via via) {
        for (Via w = via; w != null; w = w.parent) {
            String name = w.attrs.name(w.index);
            e.addTrace(w.attrs.position(name), "while evaluating the attribute '" + name + "'");
        }
        return e;
    }
}
