package dev.flotilla.cli;

import dev.flotilla.deploy.RolloutReport;
import dev.flotilla.deploy.rollout.RolloutListener;

/** Shows a rollout as it happens and sums it up at the end. */
interface Progress extends RolloutListener {
    void report(RolloutReport report);

    /** A line for people that is not an event (a notice before the rollout starts). */
    default void note(String line) {}
}
