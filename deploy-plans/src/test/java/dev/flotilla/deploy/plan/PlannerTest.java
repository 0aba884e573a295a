package dev.flotilla.deploy.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.inventory.InventoryLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static Inventory fleet(int n, String canary) {
        StringBuilder y = new StringBuilder("all:\n  hosts:\n");
        for (int i = 1; i <= n; i++) {
            String name = "web-" + i;
            y.append("    ").append(name).append(": {").append(name.equals(canary) ? " tags: [canary] " : "").append("}\n");
        }
        return InventoryLoader.parse(Path.of("inv.yaml"), y.toString());
    }

    private static List<List<String>> names(List<StageAssignment> stages) {
        return stages.stream().map(s -> s.hosts().stream().map(Host::name).toList()).toList();
    }

    @Test
    void canaryTakesTheTaggedHostThenTenPercentThenTheRest() {
        Inventory inv = fleet(21, "web-7");
        List<StageAssignment> s = Planner.assign(BuiltinPlans.CANARY, inv.hosts());
        assertEquals(List.of("web-7"), names(s).get(0));
        assertEquals(List.of("web-1", "web-2"), names(s).get(1));
        assertEquals(18, names(s).get(2).size());
        assertEquals("web-3", names(s).get(2).getFirst());
        assertEquals("web-21", names(s).get(2).getLast());
    }

    @Test
    void withoutATaggedHostTheFirstByNameIsTheCanary() {
        List<StageAssignment> s = Planner.assign(BuiltinPlans.CANARY, fleet(3, null).hosts());
        assertEquals(List.of(List.of("web-1"), List.of("web-2"), List.of("web-3")), names(s));
    }

    @Test
    void rollingMakesBatchesOfAQuarter() {
        List<StageAssignment> s = Planner.assign(BuiltinPlans.ROLLING, fleet(10, null).hosts());
        assertEquals(1, s.size());
        List<Integer> sizes = s.getFirst().batches().stream().map(List::size).toList();
        assertEquals(List.of(3, 3, 3, 1), sizes);
    }

    @Test
    void assignmentDoesNotDependOnInputOrder() {
        Inventory inv = fleet(30, "web-13");
        List<Host> shuffled = new ArrayList<>(inv.hosts());
        Collections.shuffle(shuffled, new Random(42));
        assertEquals(names(Planner.assign(BuiltinPlans.CANARY, inv.hosts())), names(Planner.assign(BuiltinPlans.CANARY, shuffled)));
    }

    @Test
    void aPlanThatLeavesHostsOutIsRefused() {
        Plan p = PlanLoader.parse("p.yaml", "stages:\n  - count: 2\n");
        var e = assertThrows(PlanException.class, () -> Planner.assign(p, fleet(3, null).hosts()));
        assertEquals("plan 'p.yaml' leaves 1 host(s) in no stage: web-3; end the plan with a stage that takes the rest", e.getMessage());
    }

    @Test
    void budgetsRoundDownAndSizesRoundUp() {
        assertEquals(1, new Amount(10, true).tolerated(10));
        assertEquals(0, new Amount(10, true).tolerated(9));
        assertEquals(1, new Amount(10, true).ofHosts(3));
        assertEquals(0, new Amount(10, true).ofHosts(0));
        assertEquals(2, new Amount(2, false).tolerated(100));
    }
}
