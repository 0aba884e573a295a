package dev.flotilla.agent.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Start order from {@code after} edges (a topological sort, ties by name); stop order is its reverse. */
public final class ServiceOrder {
    private ServiceOrder() {
    }

    /**
     * {@code names} sorted so every one comes after the names {@code afterOf} gives for it that are
     * also in {@code names}. Throws {@link IllegalArgumentException} naming a cycle.
     */
    public static List<String> startOrder(Iterable<String> names, Function<String, List<String>> afterOf) {
        Map<String, Integer> state = new LinkedHashMap<>();
        List<String> sorted = new ArrayList<>();
        Set<String> known = new HashSet<>();
        names.forEach(known::add);
        List<String> byName = new ArrayList<>(known);
        byName.sort(null);
        for (String n : byName) {
            visit(n, known, afterOf, state, sorted, new ArrayList<>());
        }
        return sorted;
    }

    private static void visit(String n, Set<String> known, Function<String, List<String>> afterOf,
                              Map<String, Integer> state, List<String> sorted, List<String> path) {
        Integer s = state.get(n);
        if (s != null && s == 2) {
            return;
        }
        path.add(n);
        if (s != null) {
            throw new IllegalArgumentException("services order themselves in a cycle: " + String.join(" -> ", path));
        }
        state.put(n, 1);
        List<String> deps = new ArrayList<>(afterOf.apply(n));
        deps.sort(null);
        for (String d : deps) {
            if (known.contains(d)) {
                visit(d, known, afterOf, state, sorted, path);
            }
        }
        state.put(n, 2);
        path.removeLast();
        sorted.add(n);
    }
}
