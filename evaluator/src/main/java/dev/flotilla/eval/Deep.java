package dev.flotilla.eval;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/** Deep forcing ({@code deepSeq}, {@code --strict}); iterative so long lists do not grow the stack. */
public final class Deep {
    private Deep() {}

    public static Value force(Lazy l) {
        Value root = l.force();
        Set<Value> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Value> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Value v = todo.pop();
            if (!(v instanceof NixList || v instanceof NixAttrs) || !seen.add(v)) continue;
            if (v instanceof NixList list) {
                for (int k = list.size() - 1; k >= 0; k--) todo.push(list.get(k).force());
            } else if (v instanceof NixAttrs a) {
                for (int k = a.size() - 1; k >= 0; k--) {
                    try {
                        todo.push(a.value(k).force());
                    } catch (EvalException e) {
                        throw e.addTrace(a.position(a.name(k)), "while evaluating the attribute '" + a.name(k) + "'");
                    }
                }
            }
        }
        return root;
    }
}
