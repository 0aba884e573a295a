package dev.flotilla.deploy.rollout;

import java.util.List;

/**
 * Answers a stage's approval gate. The CLI asks on a terminal or takes {@code --approve STAGE}; the
 * controller answers from its REST API. The engine persists an approval, so a resumed rollout does not ask twice.
 */
@FunctionalInterface
public interface Approvals {

    enum Decision {
        /** Start the stage. */
        APPROVED,
        /** Do not: the rollout halts (and its rollback policy runs). */
        REJECTED,
        /** Nobody can answer now: the rollout stops, resumable, waiting for approval. */
        LATER
    }

    /** What is asked: may {@code stage} (number {@code number} of {@code of}) switch these hosts? */
    record Request(String rollout, String stage, int number, int of, List<String> hosts) {}

    /** May block until someone answers. */
    Decision decide(Request request) throws InterruptedException;

    Approvals ALL = r -> Decision.APPROVED;
    Approvals NONE = r -> Decision.LATER;
}
