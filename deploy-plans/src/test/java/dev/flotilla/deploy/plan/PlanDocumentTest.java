package dev.flotilla.deploy.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanDocumentTest {

    @Test
    void everyPlanReadsBackEqual() {
        Plan careful = PlanLoader.parse("plan.yaml", """
                name: careful
                failureBudget: 10%
                maxUnavailable: 2
                rollback: stage
                priorities: ["@canary", "web-*"]
                stages:
                  - name: canary
                    select: "@canary"
                    count: 1
                    healthGate: 1500ms
                    approval: true
                  - percent: 50
                    batch: 25%
                    failureBudget: 1
                    pause: 2m
                  - name: rest
                """);
        for (Plan p : List.of(careful, BuiltinPlans.CANARY, BuiltinPlans.ROLLING, BuiltinPlans.ALL_AT_ONCE)) {
            Plan back = PlanLoader.parse("stored", PlanDocument.toJson(p));
            assertEquals(p.name(), back.name());
            assertEquals(p.failureBudget(), back.failureBudget());
            assertEquals(p.maxUnavailable(), back.maxUnavailable());
            assertEquals(p.rollback(), back.rollback());
            assertEquals(p.priorities(), back.priorities());
            assertEquals(p.stages().size(), back.stages().size());
            for (int i = 0; i < p.stages().size(); i++) {
                StagePlan a = p.stages().get(i);
                StagePlan b = back.stages().get(i);
                assertEquals(a.select().map(s -> s.expression()), b.select().map(s -> s.expression()));
                assertEquals(List.of(a.name(), a.size(), a.batch(), a.failureBudget(), a.healthGate(), a.pause(), a.approval()),
                        List.of(b.name(), b.size(), b.batch(), b.failureBudget(), b.healthGate(), b.pause(), b.approval()));
            }
        }
    }

    @Test
    void aStageWithoutABudgetIsLimitedByThePlansOnly() {
        Plan p = PlanLoader.parse("p.yaml", "failureBudget: 10%\nstages: [{batch: 2}]\n");
        assertEquals(Amount.ALL, p.stages().getFirst().failureBudget());
        assertEquals(new Amount(10, true), p.failureBudget());
    }
}
