package dev.flotilla.deploy.rollout;

import dev.flotilla.agent.AgentStatus;
import dev.flotilla.agent.GenerationInfo;
import dev.flotilla.agent.PendingInfo;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.deploy.Step;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** What the engine does to one host at each step; every state change goes through the {@link Tracker}. */
final class HostSteps {

    private final Tracker tracker;
    private final Connections connections;
    private final Goal goal;

    HostSteps(Tracker tracker, Connections connections, Goal goal) {
        this.tracker = tracker;
        this.connections = connections;
        this.goal = goal;
    }

    /** pending/copying → copied, or failed (nothing switched). */
    void copy(String name) {
        HostRecord h = tracker.host(name);
        if (h.state() == HostState.PENDING) {
            h = tracker.move(name, HostState.COPYING, h.address() + ":" + h.port());
        }
        HostAgent agent;
        try {
            agent = connections.get(h);
        } catch (IOException | RuntimeException e) {
            fail(name, Step.CONNECT, describe(e));
            return;
        }
        try {
            learnOrigin(h, agent);
            HostAgent.Transfer t = agent.copy(h.toplevel());
            tracker.move(name, HostState.COPIED, t.pathsSent() + " path(s) sent",
                    r -> r.withTransfer(r.pathsSent() + t.pathsSent(), r.bytesSent() + t.bytesSent()));
        } catch (IOException | RuntimeException e) {
            connections.drop(name);
            fail(name, Step.COPY, describe(e));
        }
    }

    /**
     * switching → checking (→ confirmed when {@code confirmNow}), or failed → rolled back. The host is in
     * {@code SWITCHING} already (the engine moved it once there was room).
     */
    void switchHost(String name, boolean confirmNow) {
        HostRecord h = tracker.host(name);
        HostAgent agent;
        try {
            agent = connections.get(h);
            learnOrigin(h, agent);
        } catch (IOException | RuntimeException e) {
            connections.drop(name);
            // Never reached: nothing changed on the host, so there is nothing to roll back.
            fail(name, Step.CONNECT, describe(e));
            return;
        }
        h = tracker.host(name);
        if (goal == Goal.ROLLBACK && h.targetGeneration() > 0 && h.fromGeneration() == h.targetGeneration()) {
            int g = h.targetGeneration();
            tracker.move(name, HostState.CHECKING, "already on generation " + g, r -> r.withSwitch(g, false));
            confirm(name, confirmNow);
            return;
        }
        SwitchResult sw;
        try {
            sw = goal == Goal.DEPLOY ? agent.switchTo(h.toplevel(), tracker.id())
                    : agent.rollback(h.targetGeneration() > 0 ? OptionalInt.of(h.targetGeneration()) : OptionalInt.empty());
        } catch (IOException | RuntimeException e) {
            connections.drop(name);
            fail(name, Step.SWITCH, describe(e));
            rollBackFailed(name);
            return;
        }
        boolean failed = !sw.healthy() || goal == Goal.DEPLOY && sw.rolledBack();
        if (failed) {
            tracker.move(name, HostState.FAILED, sw.message(), r -> r.withSwitch(sw.toGeneration(), false).withFailure(Step.CHECK, sw.message()));
            rollBackFailed(name);
            return;
        }
        tracker.move(name, HostState.CHECKING, sw.message(), r -> r.withSwitch(sw.toGeneration(), sw.changed()));
        confirm(name, confirmNow);
    }

    private void confirm(String name, boolean now) {
        if (now) {
            tracker.move(name, HostState.CONFIRMED, "healthy");
        }
    }

    /** failed → rolling-back → rolled-back: puts a host that failed at or after its switch back where it was. */
    void rollBackFailed(String name) {
        tracker.move(name, HostState.ROLLING_BACK, "back to " + origin(tracker.host(name)));
        completeRollback(name);
    }

    /** checking/confirmed → rolling-back → rolled-back, for a rollback policy: undoes a host that was fine. */
    void rollBack(String name, String why) {
        tracker.move(name, HostState.ROLLING_BACK, why);
        completeRollback(name);
    }

    /**
     * rolling-back → rolled-back (or failed): returns the host to what it ran before the rollout, unless it is
     * there already (its agent rolled back by itself after failed checks).
     */
    private void completeRollback(String name) {
        HostRecord h = tracker.host(name);
        try {
            HostAgent agent = connections.get(h);
            AgentStatus now = agent.status();
            if (h.knowsOrigin() && now.defaultGeneration() == h.fromGeneration() && now.activeSystem().orElse("").equals(h.fromSystem())) {
                tracker.move(name, HostState.ROLLED_BACK, h.fromGeneration() == 0 ? "back to no system, as before"
                        : "on generation " + h.fromGeneration() + " again");
                return;
            }
            if (h.knowsOrigin() && h.fromGeneration() == 0) {
                fail(name, Step.ROLLBACK, "cannot roll back: the host had no generation before this rollout");
                return;
            }
            SwitchResult sw = agent.rollback(h.knowsOrigin() ? OptionalInt.of(h.fromGeneration()) : OptionalInt.empty());
            tracker.move(name, HostState.ROLLED_BACK, sw.message(),
                    r -> r.knowsOrigin() ? r : r.withOrigin(sw.toGeneration(), ""));
        } catch (IOException | RuntimeException e) {
            if (e instanceof java.util.concurrent.CancellationException c) {
                throw c;
            }
            connections.drop(name);
            fail(name, Step.ROLLBACK, "rollback failed: " + describe(e));
        }
    }

    /** For a health gate: a host in checking whose checks fail now is failed and rolled back. */
    void recheck(String name) {
        HostRecord h = tracker.host(name);
        List<String> failing;
        try {
            failing = connections.get(h).recheck(h.toplevel());
        } catch (IOException | RuntimeException e) {
            connections.drop(name);
            failing = List.of("cannot check it: " + describe(e));
        }
        if (!failing.isEmpty()) {
            fail(name, Step.CHECK, String.join("; ", failing));
            rollBackFailed(name);
        }
    }

    /**
     * After an interruption, asks the host what it runs before anything else happens to it, so that no
     * switch is repeated: a host whose switch happened moves on to checking; one whose switch failed and
     * that its agent rolled back is recorded as such; a rollback in progress is finished.
     */
    void reconcile(String name) {
        HostRecord h = tracker.host(name);
        AgentStatus now;
        try {
            now = connections.get(h).status();
        } catch (IOException | RuntimeException e) {
            connections.drop(name);
            if (h.state() == HostState.SWITCHING || h.state() == HostState.CHECKING) {
                fail(name, Step.CONNECT, "unreachable after the interruption: " + describe(e));
            }
            return;
        }
        boolean unconfirmed = now.pending().filter(p -> p.toplevel().equals(h.toplevel())).isPresent();
        if (h.state() == HostState.SWITCHING && goal == Goal.DEPLOY) {
            Optional<AgentStatus> settled = awaitUnconfirmed(name, h, now);
            if (settled.isEmpty()) {
                return;
            }
            now = settled.get();
        }
        String active = now.activeSystem().orElse("");
        AgentStatus status = now;
        switch (h.state()) {
            case SWITCHING -> {
                if (goal == Goal.DEPLOY && active.equals(h.toplevel())) {
                    boolean changed = status.defaultGeneration() != h.fromGeneration() || !h.fromSystem().equals(h.toplevel());
                    tracker.move(name, HostState.CHECKING, "already on generation " + status.defaultGeneration()
                            + " (switched before the interruption; not switching again)", r -> r.withSwitch(status.defaultGeneration(), changed));
                } else if (goal == Goal.DEPLOY && !unconfirmed && failedSwitchSince(status.generations(), h)) {
                    fail(name, Step.CHECK, "its switch failed before the interruption");
                    rollBackFailed(name);
                } else if (goal == Goal.ROLLBACK && h.targetGeneration() > 0 && status.defaultGeneration() == h.targetGeneration()) {
                    tracker.move(name, HostState.CHECKING, "already on generation " + h.targetGeneration()
                            + " (rolled back before the interruption)", r -> r.withSwitch(h.targetGeneration(), true));
                }
                // Otherwise the switch never reached the host: it happens in its batch, for the first time.
            }
            case CHECKING -> {
                if (goal == Goal.DEPLOY && !active.equals(h.toplevel())) {
                    fail(name, Step.CHECK, "no longer runs the new system after the interruption (active: "
                            + (active.isEmpty() ? "none" : active) + ")");
                    rollBackFailed(name);
                }
            }
            case ROLLING_BACK -> completeRollback(name);
            default -> {
                // pending, copying, copied: nothing happened that a copy or switch would repeat.
            }
        }
    }

    /**
     * A switch to our system that the interrupted run made but never confirmed: only that run could confirm it, so
     * the agent rolls it back at its deadline. Waits for that, then leaves the host to be switched in its batch (the
     * earlier switch was undone, not failed). Returns the host's status afterwards, or empty when it was handled.
     */
    private Optional<AgentStatus> awaitUnconfirmed(String name, HostRecord h, AgentStatus now) {
        Optional<PendingInfo> pending = now.pending().filter(p -> p.toplevel().equals(h.toplevel()));
        if (pending.isEmpty()) {
            return Optional.of(now);
        }
        Instant giveUp = pending.get().deadline().plusSeconds(15);
        try {
            AgentStatus st = now;
            while (st.pending().filter(p -> p.toplevel().equals(h.toplevel())).isPresent()) {
                if (Instant.now().isAfter(giveUp)) {
                    fail(name, Step.SWITCH, "its unconfirmed switch from before the interruption is still pending after its deadline");
                    return Optional.empty();
                }
                Thread.sleep(Duration.ofMillis(250));
                st = connections.get(h).status();
            }
            return Optional.of(st);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted");
        } catch (IOException | RuntimeException e) {
            connections.drop(name);
            fail(name, Step.CONNECT, "unreachable after the interruption: " + describe(e));
            return Optional.empty();
        }
    }

    /** The host has a generation of our toplevel made during this rollout, yet runs its old one: the agent undid it. */
    private boolean failedSwitchSince(List<GenerationInfo> generations, HostRecord h) {
        return generations.stream().anyMatch(g -> g.storePath().equals(h.toplevel()) && g.number() > h.fromGeneration()
                && !g.created().isBefore(tracker.origin().created().minusSeconds(1)) && !g.isDefault()
                && g.deploymentId().map(tracker.id()::equals).orElse(true));
    }

    private void fail(String name, Step step, String why) {
        tracker.move(name, HostState.FAILED, why, r -> r.withFailure(step, why));
    }

    private void learnOrigin(HostRecord h, HostAgent agent) throws IOException {
        if (!h.knowsOrigin()) {
            AgentStatus st = agent.status();
            tracker.update(h.name(), r -> r.withOrigin(st.defaultGeneration(), st.activeSystem().orElse("")));
        }
    }

    private static String origin(HostRecord h) {
        return h.knowsOrigin() ? "generation " + h.fromGeneration() : "the previous generation";
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
