package dev.flotilla.deploy.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Something that happened in a rollout, as listeners (progress output, the controller's SSE stream, audit) see it. */
public sealed interface RolloutEvent {

    String rollout();

    Instant time();

    /** The rollout began, or a resumed one picked up where it stopped. */
    record Started(String rollout, Instant time, Goal goal, String plan, List<String> stages, int hosts, boolean resumed)
            implements RolloutEvent {}

    /**
     * A phase began: the copy phase ({@code number} 0, named {@code copy}) or plan stage {@code number}
     * of {@code of}.
     */
    record StageStarted(String rollout, Instant time, String stage, int number, int of, List<String> hosts) implements RolloutEvent {
        public StageStarted {
            hosts = List.copyOf(hosts);
        }

        public boolean copyPhase() {
            return number == 0;
        }
    }

    /** The rollout waits: for an approval, a pause, or a health gate; {@code duration} is zero when open-ended. */
    record Waiting(String rollout, Instant time, String stage, String reason, Duration duration) implements RolloutEvent {}

    /**
     * One host changed state. {@code elapsed} counts from the host's first transition in this run;
     * {@code bytes} is the NAR bytes sent to it so far.
     */
    record Transition(String rollout, Instant time, String host, HostState from, HostState to, String detail,
                      Duration elapsed, long bytes) implements RolloutEvent {}

    record StageFinished(String rollout, Instant time, String stage, int confirmed, int failed) implements RolloutEvent {}

    /** The run ended: finished, halted, or stopped at an approval gate. */
    record Finished(String rollout, Instant time, RolloutStatus status, String reason, Duration elapsed) implements RolloutEvent {}
}
