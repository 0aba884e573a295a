package dev.flotilla.agent.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Start order from {@code after} edges (a topological sort, ties by name); stop order is its reverse.
 * The edges come as a map rather than a function: this runs as the agent starts, and each lambda there
 * is a class spun at run time that an idle agent keeps paying for in memory.
 */
public final class ServiceOrder {
    private ServiceOrder() {
    }

    /**
     * The names of {@code afterOf} (each mapped to the names it starts after) sorted so every one comes
     * after those of its names that are also keys. Throws {@link IllegalArgumentException} naming a cycle.
     */
    public static List<String> startOrder(Map<String, List<String>> afterOf) {
        Map<String, Integer> state = new LinkedHashMap<>();
        List<String> sorted = new ArrayList<>();
        List<String> byName = new ArrayList<>(afterOf.keySet());
        byName.sort(null);
        for (String n : byName) {
            visit(n, afterOf, state, sorted, new ArrayList<>());
        }
        return sorted;
    }

    private static void visit(String n, Map<String, List<String>> afterOf, Map<String, Integer> state, List<String> sorted,
                              List<String> path) {
        Integer s = state.get(n);
        if (s != null && s == 2) {
            return;
        }
        path.add(n);
        if (s != null) {
            throw new IllegalArgumentException("services order themselves in a cycle: " + String.join(" -> ", path));
        }
        state.put(n, 1);
        List<String> deps = new ArrayList<>(afterOf.get(n));
        deps.sort(null);
        for (String d : deps) {
            if (afterOf.containsKey(d)) {
                visit(d, afterOf, state, sorted, path);
            }
        }
        state.put(n, 2);
        path.removeLast();
        sorted.add(n);
    }
}
