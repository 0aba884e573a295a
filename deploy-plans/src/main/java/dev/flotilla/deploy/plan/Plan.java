package dev.flotilla.deploy.plan;

import java.util.List;

/**
 * Who switches when, and what happens when something fails.
 *
 * @param failureBudget  failures tolerated over the whole rollout before it halts
 * @param maxUnavailable hosts that may be switching or failed at the same time, fleet-wide
 * @param priorities     selector terms that order hosts (earlier terms first, then by name), so stage
 *                       membership is stable across runs
 */
public record Plan(
        String name,
        List<StagePlan> stages,
        Amount failureBudget,
        Amount maxUnavailable,
        RollbackPolicy rollback,
        List<String> priorities) {

    public Plan {
        stages = List.copyOf(stages);
        priorities = List.copyOf(priorities);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one stage");
        }
    }
}
