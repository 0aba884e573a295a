package dev.flotilla.deploy.plan;

import dev.flotilla.inventory.HostSelector;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One stage of a plan.
 *
 * @param select        only hosts matching this selector are eligible (default: every remaining target)
 * @param size          how many of the eligible remaining targets the stage takes (default: all of them)
 * @param batch         hosts switched together; the next batch starts when the previous one is done
 * @param failureBudget failures tolerated within the stage before the rollout halts
 * @param healthGate    how long the stage's hosts must stay healthy before the stage counts as good
 * @param pause         wait after the stage succeeded, before the next one
 * @param approval      wait for an operator's approval before the stage starts
 */
public record StagePlan(
        String name,
        Optional<HostSelector> select,
        Amount size,
        Amount batch,
        Amount failureBudget,
        Duration healthGate,
        Duration pause,
        boolean approval) {

    public StagePlan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(batch, "batch");
        if (batch.value() == 0) {
            throw new IllegalArgumentException("batch must be at least 1 host");
        }
    }
}
