package dev.flotilla.deploy.rollout;

/**
 * Receives a rollout's events as they happen. Called from the engine's worker threads (one event at a
 * time, in order per host); keep it quick and do not throw.
 */
@FunctionalInterface
public interface RolloutListener {

    void on(RolloutEvent event);

    RolloutListener NONE = e -> {};

    default RolloutListener and(RolloutListener other) {
        return e -> {
            on(e);
            other.on(e);
        };
    }
}
