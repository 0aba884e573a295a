package dev.flotilla.deploy.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlanLoaderTest {

    @Test
    void readsEveryField() {
        Plan p = PlanLoader.parse("plan.yaml", """
                name: careful
                failureBudget: 10%
                maxUnavailable: 2
                rollback: stage
                priorities: ["@canary", "web-*"]
                stages:
                  - name: canary
                    select: "@canary"
                    count: 1
                    healthGate: 30s
                    approval: true
                  - percent: 50
                    batch: 25%
                    failureBudget: 1
                    pause: 2m
                  - name: rest
                """);
        assertEquals("careful", p.name());
        assertEquals(new Amount(10, true), p.failureBudget());
        assertEquals(new Amount(2, false), p.maxUnavailable());
        assertEquals(RollbackPolicy.STAGE, p.rollback());
        assertEquals(3, p.stages().size());
        StagePlan canary = p.stages().get(0);
        assertEquals("@canary", canary.select().orElseThrow().expression());
        assertEquals(new Amount(1, false), canary.size());
        assertEquals(Duration.ofSeconds(30), canary.healthGate());
        assertTrue(canary.approval());
        StagePlan second = p.stages().get(1);
        assertEquals("stage-2", second.name());
        assertEquals(new Amount(50, true), second.size());
        assertEquals(new Amount(25, true), second.batch());
        assertEquals(new Amount(1, false), second.failureBudget());
        assertEquals(Duration.ofMinutes(2), second.pause());
        assertEquals(Amount.ALL, p.stages().get(2).size());
    }

    @Test
    void errorsNameLineColumnAndField() {
        var e = assertThrows(PlanException.class, () -> PlanLoader.parse("plan.yaml", """
                stages:
                  - name: a
                  - name: b
                    batch: lots
                """));
        assertEquals("stages[1].batch", e.field());
        assertTrue(e.getMessage().startsWith("plan.yaml:4:12: stages[1].batch: expected a count"), e.getMessage());

        e = assertThrows(PlanException.class, () -> PlanLoader.parse("plan.yaml", "stages:\n  - percnt: 10\n"));
        assertEquals("stages[0].percnt", e.field());
        assertTrue(e.getMessage().startsWith("plan.yaml:2:5: stages[0].percnt: unknown field"), e.getMessage());

        e = assertThrows(PlanException.class, () -> PlanLoader.parse("plan.yaml", "stages:\n  - count: 1\n    percent: 5\n"));
        assertEquals("stages[0].percent", e.field());

        e = assertThrows(PlanException.class, () -> PlanLoader.parse("plan.yaml", "rollback: everything\nstages: [{}]\n"));
        assertTrue(e.getMessage().startsWith("plan.yaml:1:11: rollback: expected one of"), e.getMessage());

        e = assertThrows(PlanException.class, () -> PlanLoader.parse("plan.yaml", "stages:\n  - select: 'web 1'\n"));
        assertEquals("stages[0].select", e.field());

        e = assertThrows(PlanException.class, () -> PlanLoader.parse("plan.yaml", "name: x\n"));
        assertEquals("stages", e.field());

        e = assertThrows(PlanException.class, () -> PlanLoader.parse("plan.yaml", "stages:\n  - pause: soon\n"));
        assertTrue(e.getMessage().contains("stages[0].pause: expected a duration"), e.getMessage());
    }

    @Test
    void builtinsResolveByName() {
        assertEquals("canary", PlanLoader.resolve("canary").name());
        assertEquals("rolling", PlanLoader.resolve("rolling").name());
        assertEquals("all-at-once", PlanLoader.resolve("all-at-once").name());
        var e = assertThrows(PlanException.class, () -> PlanLoader.resolve("yolo"));
        assertTrue(e.getMessage().contains("all-at-once, canary, rolling"), e.getMessage());
    }
}
