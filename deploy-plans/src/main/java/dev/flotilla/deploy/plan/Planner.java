package dev.flotilla.deploy.plan;

import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.HostSelector;
import dev.flotilla.inventory.Inventory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Assigns a rollout's targets to the stages of a plan. The result depends only on the plan and the
 * targets (not on their order or on time), so a resumed or repeated rollout picks the same hosts.
 */
public final class Planner {

    private Planner() {}

    public static List<StageAssignment> assign(Plan plan, List<Host> targets) {
        List<Host> remaining = new ArrayList<>(order(plan.priorities(), targets));
        List<StageAssignment> out = new ArrayList<>();
        for (StagePlan stage : plan.stages()) {
            List<Host> eligible = stage.select().map(s -> matching(s, remaining)).orElse(List.copyOf(remaining));
            int take = stage.size().ofHosts(eligible.size());
            List<Host> chosen = eligible.subList(0, take);
            remaining.removeAll(chosen);
            out.add(new StageAssignment(stage, batches(chosen, stage.batch())));
        }
        if (!remaining.isEmpty()) {
            throw new PlanException("stages", "plan '" + plan.name() + "' leaves " + remaining.size() + " host(s) in no stage: "
                    + String.join(", ", remaining.stream().map(Host::name).limit(10).toList())
                    + (remaining.size() > 10 ? ", ..." : "") + "; end the plan with a stage that takes the rest");
        }
        return out;
    }

    /** Hosts matching an earlier priority term come first; within a term, by name (numbers compared as numbers). */
    static List<Host> order(List<String> priorities, List<Host> targets) {
        List<HostSelector> terms = priorities.stream().map(HostSelector::parse).toList();
        Comparator<Host> byPriority = Comparator.comparingInt(h -> rank(terms, h));
        return targets.stream().sorted(byPriority.thenComparing(Host::name, Planner::naturalCompare)).toList();
    }

    private static int rank(List<HostSelector> terms, Host h) {
        Inventory single = new Inventory(List.of(h));
        for (int i = 0; i < terms.size(); i++) {
            try {
                terms.get(i).select(single);
                return i;
            } catch (IllegalArgumentException noMatch) {
                // Not this term; try the next.
            }
        }
        return terms.size();
    }

    private static List<Host> matching(HostSelector selector, List<Host> remaining) {
        if (remaining.isEmpty()) {
            return List.of();
        }
        try {
            Set<Host> picked = new LinkedHashSet<>(selector.select(new Inventory(remaining)));
            return remaining.stream().filter(picked::contains).toList();
        } catch (IllegalArgumentException none) {
            return List.of();
        }
    }

    private static List<List<Host>> batches(List<Host> hosts, Amount batch) {
        int size = Math.max(1, batch.ofHosts(hosts.size()));
        List<List<Host>> out = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i += size) {
            out.add(hosts.subList(i, Math.min(hosts.size(), i + size)));
        }
        return out;
    }

    /** "web-2" before "web-10". */
    static int naturalCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
