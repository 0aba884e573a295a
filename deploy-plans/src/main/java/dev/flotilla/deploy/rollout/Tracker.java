package dev.flotilla.deploy.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A running rollout's state, and the one place where a host changes state: {@link #move} checks the
 * transition against {@link HostState}, updates the host, emits the event and asks for a save. Thread-safe;
 * events go out one at a time, in the order the state changed.
 */
final class Tracker {

    private final RolloutRecord origin;
    private final Map<String, HostRecord> hosts = new LinkedHashMap<>();
    private final List<StageRecord> stages;
    private final Map<String, Long> firstMove = new java.util.HashMap<>();
    private final RolloutListener listener;
    private final Clock clock;
    private RolloutStatus status;
    private String reason;
    private SnapshotWriter writer;
    private boolean killed;
    private Instant lastChange;

    Tracker(RolloutRecord origin, RolloutListener listener, Clock clock) {
        this.origin = origin;
        origin.hosts().forEach(h -> hosts.put(h.name(), h));
        this.stages = new ArrayList<>(origin.stages());
        this.listener = listener;
        this.clock = clock;
        this.status = origin.status();
        this.reason = origin.reason();
        this.lastChange = origin.updated();
    }

    void writeThrough(SnapshotWriter w) {
        this.writer = w;
    }

    String id() {
        return origin.id();
    }

    RolloutRecord origin() {
        return origin;
    }

    Instant now() {
        return clock.instant();
    }

    synchronized HostRecord host(String name) {
        return hosts.get(name);
    }

    synchronized List<HostRecord> hosts(Predicate<HostRecord> which) {
        return hosts.values().stream().filter(which).toList();
    }

    /**
     * Moves {@code host} to {@code to}, applying {@code change} to its record on the way.
     *
     * @throws IllegalStateException when the transition is not allowed (a bug in the engine)
     * @throws CancellationException when the run was {@linkplain #kill() killed}
     */
    HostRecord move(String host, HostState to, String detail, UnaryOperator<HostRecord> change) {
        HostRecord next;
        synchronized (this) {
            if (killed) {
                throw new CancellationException("rollout " + id() + " was stopped");
            }
            HostRecord h = hosts.get(host);
            h.state().requireCanBecome(host, to);
            Instant now = now();
            next = change.apply(h).moved(to, detail, now);
            hosts.put(host, next);
            lastChange = now;
            long started = firstMove.computeIfAbsent(host, k -> System.nanoTime());
            listener.on(new RolloutEvent.Transition(id(), now, host, h.state(), to, detail,
                    Duration.ofNanos(System.nanoTime() - started), next.bytesSent()));
            notifyAll();
        }
        requestSave();
        return next;
    }

    HostRecord move(String host, HostState to, String detail) {
        return move(host, to, detail, UnaryOperator.identity());
    }

    /** Changes what is known about a host without a transition (e.g. what it ran before). */
    void update(String host, UnaryOperator<HostRecord> change) {
        synchronized (this) {
            if (killed) {
                throw new CancellationException("rollout " + id() + " was stopped");
            }
            hosts.put(host, change.apply(hosts.get(host)));
            lastChange = now();
        }
        requestSave();
    }

    synchronized StageRecord stage(int index) {
        return stages.get(index);
    }

    void stage(int index, UnaryOperator<StageRecord> change) {
        synchronized (this) {
            stages.set(index, change.apply(stages.get(index)));
            lastChange = now();
        }
        requestSave();
    }

    synchronized RolloutStatus status() {
        return status;
    }

    synchronized String reason() {
        return reason;
    }

    void status(RolloutStatus s, String why) {
        synchronized (this) {
            status = s;
            reason = why;
            lastChange = now();
        }
        requestSave();
    }

    void emit(RolloutEvent e) {
        synchronized (this) {
            if (killed) {
                throw new CancellationException("rollout " + id() + " was stopped");
            }
            listener.on(e);
        }
    }

    synchronized RolloutRecord snapshot() {
        return origin.with(status, reason, stages, List.copyOf(hosts.values()), lastChange);
    }

    /**
     * Moves {@code host} to {@code SWITCHING} once fewer than {@code limit} hosts are unavailable
     * (switching, failed, or rolling back). Returns false without moving when {@code stop} says so, or when
     * the limit is reached and nothing in flight could free a place.
     */
    synchronized boolean startSwitch(String host, int limit, String detail, BooleanSupplier stop) throws InterruptedException {
        if (hosts.get(host).state() == HostState.SWITCHING) {
            return true;
        }
        while (unavailable() >= limit) {
            if (stop.getAsBoolean() || inFlight() == 0) {
                return false;
            }
            wait(1000);
        }
        if (stop.getAsBoolean()) {
            return false;
        }
        move(host, HostState.SWITCHING, detail);
        return true;
    }

    synchronized long unavailable() {
        return hosts.values().stream().filter(h -> h.state() == HostState.SWITCHING || h.state() == HostState.ROLLING_BACK
                || h.state() == HostState.FAILED).count();
    }

    private long inFlight() {
        return hosts.values().stream().filter(h -> h.state() == HostState.SWITCHING || h.state() == HostState.ROLLING_BACK).count();
    }

    /** Stops the run as a kill would: no more transitions, events or saves. */
    void kill() {
        synchronized (this) {
            killed = true;
            notifyAll();
        }
        if (writer != null) {
            writer.abandon();
        }
    }

    private void requestSave() {
        if (writer != null) {
            writer.request();
        }
    }
}
