package dev.flotilla.controller.rollout.service;

import dev.flotilla.controller.rollout.persistence.RolloutEvent.Kind;
import dev.flotilla.deploy.rollout.RolloutEvent;
import dev.flotilla.deploy.rollout.RolloutListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The engine's events of one run, in the order it emitted them, waiting for the next save of the
 * rollout, which stores them in its transaction: the engine emits under its own lock, so this order is
 * the order of the state changes.
 */
public final class EventBuffer implements RolloutListener {

    /** An event as a row of {@code rollout_event}. */
    public record Entry(Instant at, Kind kind, String host, String state, String detail) {}

    private final List<Entry> pending = new ArrayList<>();

    @Override
    public void on(RolloutEvent event) {
        Entry e = entry(event);
        if (e != null) {
            synchronized (this) {
                pending.add(e);
            }
        }
    }

    /** Adds an event of the controller's own (a note, the rollout's new state). */
    public synchronized void add(Entry e) {
        pending.add(e);
    }

    /** Everything not stored yet, in order; the buffer is empty afterwards. */
    public synchronized List<Entry> drain() {
        List<Entry> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    /** The row for an engine event; none for {@code Finished}: the recorder writes the rollout's outcome itself. */
    static Entry entry(RolloutEvent event) {
        return switch (event) {
            case RolloutEvent.Started s -> new Entry(s.time(), Kind.ROLLOUT, null, "RUNNING", (s.resumed() ? "resumed" : "started")
                    + ": " + s.goal().word() + " of " + s.hosts() + " host(s), plan '" + s.plan() + "', stages " + String.join(", ", s.stages()));
            case RolloutEvent.StageStarted s -> new Entry(s.time(), Kind.STAGE, null, "STARTED", s.copyPhase()
                    ? "copy phase: " + s.hosts().size() + " host(s)"
                    : "stage '" + s.stage() + "' (" + s.number() + " of " + s.of() + "): " + s.hosts().stream().collect(Collectors.joining(", ")));
            case RolloutEvent.Waiting w -> new Entry(w.time(), Kind.STAGE, null, "WAITING", "stage '" + w.stage() + "' waits: " + w.reason()
                    + (w.duration().isZero() ? "" : " (" + w.duration().toSeconds() + "s)"));
            case RolloutEvent.Transition t -> new Entry(t.time(), Kind.HOST, t.host(), t.to().name(), t.detail());
            case RolloutEvent.StageFinished f -> new Entry(f.time(), Kind.STAGE, null, "FINISHED", "stage '" + f.stage() + "': "
                    + f.confirmed() + " confirmed, " + f.failed() + " failed");
            case RolloutEvent.Finished f -> null;
        };
    }
}
