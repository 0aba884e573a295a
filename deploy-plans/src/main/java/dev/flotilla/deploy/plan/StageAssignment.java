package dev.flotilla.deploy.plan;

import dev.flotilla.inventory.Host;
import java.util.List;

/** A stage of a plan with the hosts it takes, split into batches that switch together. */
public record StageAssignment(StagePlan stage, List<List<Host>> batches) {

    public StageAssignment {
        batches = batches.stream().map(List::copyOf).toList();
    }

    public List<Host> hosts() {
        return batches.stream().flatMap(List::stream).toList();
    }
}
