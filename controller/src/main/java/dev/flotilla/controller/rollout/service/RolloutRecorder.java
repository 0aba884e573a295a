package dev.flotilla.controller.rollout.service;

import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.host.service.HostService;
import dev.flotilla.controller.rollout.domain.RolloutState;
import dev.flotilla.controller.rollout.persistence.Rollout;
import dev.flotilla.controller.rollout.persistence.RolloutEvent;
import dev.flotilla.controller.rollout.persistence.RolloutEventRepository;
import dev.flotilla.controller.rollout.persistence.RolloutHost;
import dev.flotilla.controller.rollout.persistence.RolloutHostRepository;
import dev.flotilla.controller.rollout.persistence.RolloutRepository;
import dev.flotilla.deploy.Step;
import dev.flotilla.deploy.rollout.Goal;
import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.deploy.rollout.HostState;
import dev.flotilla.deploy.rollout.RolloutRecord;
import dev.flotilla.inventory.Host;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The controller's side of a rollout's life, each step its own transaction under the rollout row's
 * lock: creation, leases (claim, renew, release), the start and the end of a replica's run, and an
 * operator's requests (abort, pause, resume, approve). The engine's own progress is written by
 * {@link PostgresRolloutStore}; both number events under the same lock, so events stay gap-free.
 */
@ApplicationScoped
public class RolloutRecorder {

    /** A rollout to store: hosts as they are now, with the generation a rollback returns each to (0: previous). */
    public record NewRollout(Goal goal, String configPath, String selector, int parallelism, String mode, String plan,
                             String description, String rollbackTo, List<Host> targets, Map<String, Integer> generations) {}

    /** What a replica needs to run a rollout it claimed. */
    public record Start(long id, Goal goal, String configPath, int parallelism, String mode, String plan, String description,
                        boolean planned, List<Host> hosts, Map<String, Integer> generations) {}

    private final RolloutRepository rollouts;
    private final RolloutHostRepository hosts;
    private final RolloutEventRepository events;
    private final HostService hostService;
    private final MeterRegistry metrics;

    public RolloutRecorder(RolloutRepository rollouts, RolloutHostRepository hosts, RolloutEventRepository events,
                           HostService hostService, MeterRegistry metrics) {
        this.rollouts = rollouts;
        this.hosts = hosts;
        this.events = events;
        this.hostService = hostService;
        this.metrics = metrics;
    }

    @Transactional
    public long insert(NewRollout n, String actor) {
        Rollout r = new Rollout();
        r.state = RolloutState.PENDING;
        r.goal = n.goal();
        r.configPath = n.configPath() == null ? "" : n.configPath();
        r.selector = n.selector();
        r.parallelism = n.parallelism();
        r.mode = n.mode();
        r.plan = n.plan();
        r.description = n.description();
        r.rollbackTo = n.rollbackTo();
        r.createdBy = actor;
        r.createdAt = Instant.now();
        rollouts.persist(r);
        int position = 0;
        for (Host h : n.targets()) {
            RolloutHost rh = new RolloutHost();
            rh.rolloutId = r.id;
            rh.position = position++;
            rh.hostName = h.name();
            rh.state = HostState.PENDING;
            rh.host = HostSnapshot.of(h);
            rh.targetGeneration = n.generations().getOrDefault(h.name(), 0);
            rh.updatedAt = r.createdAt;
            hosts.persist(rh);
        }
        event(r, RolloutEvent.Kind.ROLLOUT, null, r.state.name(), "created by " + actor + ": " + n.description() + ", "
                + n.targets().size() + " host(s), parallel " + n.parallelism());
        return r.id;
    }

    /** Starts (or restarts) a replica's run of a rollout it claimed: a queued rollout becomes RUNNING. */
    @Transactional
    public Start begin(Lease lease) {
        Rollout r = fenced(lease);
        if (r.state == RolloutState.PENDING) {
            move(r, RolloutState.RUNNING, "driven by " + lease.owner());
        }
        List<RolloutHost> all = hosts.ofRollout(r.id);
        Map<String, Integer> generations = new LinkedHashMap<>();
        all.forEach(h -> generations.put(h.hostName, h.targetGeneration));
        return new Start(r.id, r.goal, r.configPath, r.parallelism, r.mode, r.plan, r.description, r.planned,
                all.stream().map(h -> HostSnapshot.toHost(h.host)).toList(), generations);
    }

    /**
     * Ends a replica's run: the remaining events are stored, the rollout takes the state the engine left it
     * in, and the lease ends (so that, once an operator acts on a waiting rollout, any replica takes it).
     */
    @Transactional
    public RolloutState finish(Lease lease, RolloutRecord done, List<EventBuffer.Entry> pending) {
        Rollout r = fenced(lease);
        pending.forEach(e -> event(r, e.kind(), e.host(), e.state(), e.detail(), e.at()));
        RolloutState next = RolloutState.after(done.status(), r.abortRequested, r.pauseRequested);
        r.reason = done.reason().isEmpty() ? null : done.reason();
        r.summary = summary(done);
        if (next.terminal()) {
            for (HostRecord h : done.hosts()) {
                recordGeneration(r, h);
                metrics.counter("flotilla.rollout.hosts", "state", h.state().name()).increment();
                metrics.counter("flotilla.bytes.copied").increment(h.bytesSent());
            }
            metrics.counter("flotilla.rollouts", "outcome", next.name()).increment();
        }
        end(r, next, (r.summary + (r.reason == null ? "" : "; " + r.reason)));
        return next;
    }

    /** Ends a run stopped by a pause before the engine had a snapshot to leave. */
    @Transactional
    public void paused(Lease lease) {
        Rollout r = fenced(lease);
        end(r, RolloutState.PAUSED, "paused");
    }

    /** Ends a run whose systems could not be built: each such host failed, before anything was switched. */
    @Transactional
    public void failBuild(Lease lease, Map<String, String> failures) {
        Rollout r = fenced(lease);
        Instant now = Instant.now();
        for (RolloutHost h : hosts.ofRollout(r.id)) {
            String why = failures.get(h.hostName);
            if (why != null && h.state == HostState.PENDING) {
                h.state = HostState.FAILED;
                h.failed = true;
                h.failedStep = Step.BUILD.name();
                h.reason = why;
                h.updatedAt = now;
                event(r, RolloutEvent.Kind.HOST, h.hostName, h.state.name(), "building its system failed: " + why);
            }
        }
        r.reason = "the systems of " + failures.size() + " host(s) could not be built; nothing was copied or switched";
        r.summary = failures.size() + " failed to build";
        metrics.counter("flotilla.rollouts", "outcome", RolloutState.FAILED.name()).increment();
        end(r, RolloutState.FAILED, r.reason);
    }

    /** What an operator asked of a rollout that is running: checked by its driver before each switch. */
    public record Requests(boolean abort, boolean pause) {
        public boolean any() {
            return abort || pause;
        }
    }

    /** The operator's requests, if {@code lease} still holds the rollout. */
    @Transactional
    public Requests requests(Lease lease) {
        Rollout r = fenced(lease);
        return new Requests(r.abortRequested, r.pauseRequested);
    }

    /**
     * Asks a rollout to stop for good. One nobody drives and that nothing is in the middle of (queued, or
     * waiting for an approval) ends at once; a running one halts before its next switch, and a paused one is
     * queued so that a replica reconciles its hosts, then halts.
     */
    @Transactional
    public Rollout abort(long id, String actor) {
        Rollout r = rollouts.lock(id).orElseThrow(() -> ApiException.notFound("rollout " + id));
        if (r.state.terminal()) {
            throw ApiException.conflict("finished", "rollout " + id + " already ended " + r.state, null);
        }
        if (!r.abortRequested) {
            r.abortRequested = true;
            event(r, RolloutEvent.Kind.NOTE, null, null, "abort requested by " + actor);
        }
        if (r.state == RolloutState.PENDING && !r.planned || r.state == RolloutState.AWAITING_APPROVAL) {
            r.reason = "aborted by " + actor;
            end(r, RolloutState.ABORTED, "aborted by " + actor + " while " + r.state.name().toLowerCase().replace('_', ' '));
        } else if (r.state == RolloutState.PAUSED) {
            r.pauseRequested = false;
            move(r, RolloutState.PENDING, "queued to reconcile its hosts, then halt");
        }
        return r;
    }

    /** Asks a rollout to pause: a running one stops before its next switch, resumably; a queued one at once. */
    @Transactional
    public Rollout pause(long id, String actor) {
        Rollout r = rollouts.lock(id).orElseThrow(() -> ApiException.notFound("rollout " + id));
        if (r.state != RolloutState.PENDING && r.state != RolloutState.RUNNING) {
            throw ApiException.conflict("not_running", "rollout " + id + " is " + r.state + "; only a pending or running rollout pauses", null);
        }
        if (!r.pauseRequested) {
            r.pauseRequested = true;
            event(r, RolloutEvent.Kind.NOTE, null, null, "pause requested by " + actor);
        }
        if (r.state == RolloutState.PENDING) {
            end(r, RolloutState.PAUSED, "paused by " + actor + " before any replica took it");
        }
        return r;
    }

    /** Queues a paused rollout again: the replica that takes it asks every host in flight where it is, then goes on. */
    @Transactional
    public Rollout resume(long id, String actor) {
        Rollout r = rollouts.lock(id).orElseThrow(() -> ApiException.notFound("rollout " + id));
        if (r.state != RolloutState.PAUSED && !(r.state == RolloutState.RUNNING && r.pauseRequested)) {
            throw ApiException.conflict("not_paused", "rollout " + id + " is " + r.state + ", not paused", null);
        }
        r.pauseRequested = false;
        if (r.state == RolloutState.PAUSED) {
            move(r, RolloutState.PENDING, "resumed by " + actor);
        } else {
            event(r, RolloutEvent.Kind.NOTE, null, null, "pause withdrawn by " + actor);
        }
        return r;
    }

    /** Approves a stage's gate (before or while the rollout waits at it); a waiting rollout is queued again. */
    @Transactional
    public Rollout approve(long id, String stage, Set<String> stageNames, String actor) {
        Rollout r = rollouts.lock(id).orElseThrow(() -> ApiException.notFound("rollout " + id));
        if (r.state.terminal()) {
            throw ApiException.conflict("finished", "rollout " + id + " already ended " + r.state, null);
        }
        if (!stageNames.contains(stage)) {
            throw ApiException.invalid("stage", "rollout " + id + " has no stage '" + stage + "' (stages: " + String.join(", ", stageNames) + ")");
        }
        if (!r.approvedStages.contains(stage)) {
            List<String> approved = new ArrayList<>(r.approvedStages);
            approved.add(stage);
            r.approvedStages = approved;
            event(r, RolloutEvent.Kind.NOTE, null, null, "stage '" + stage + "' approved by " + actor);
        }
        if (r.state == RolloutState.AWAITING_APPROVAL) {
            move(r, RolloutState.PENDING, "queued again: stage '" + stage + "' approved");
        }
        return r;
    }

    /** Stages approved through the API so far. */
    @Transactional
    public Set<String> approvedStages(long id) {
        return Set.copyOf(rollouts.findByIdOptional(id).map(r -> r.approvedStages).orElse(List.of()));
    }

    /**
     * Claims up to {@code room} in-flight rollouts nobody drives: queued ones (no owner), those whose
     * owner's lease ran out, and those a previous run of this replica left (same name). Each claim
     * raises the rollout's fencing token, so the previous owner can record nothing more.
     */
    @Transactional
    public List<Lease> claim(String me, Set<Long> mine, int room, Instant leaseUntil) {
        List<Lease> claimed = new ArrayList<>();
        if (room <= 0) {
            return claimed;
        }
        for (Long id : rollouts.lockClaimable(me, mine, Instant.now(), room)) {
            Rollout r = rollouts.findById(id);
            String previous = r.owner;
            r.owner = me;
            r.leaseUntil = leaseUntil;
            r.leaseEpoch++;
            if (me.equals(previous)) {
                event(r, RolloutEvent.Kind.NOTE, null, null, me + " restarted and resumes this rollout");
            } else if (previous != null) {
                event(r, RolloutEvent.Kind.NOTE, null, null, me + " resumes this rollout: its driver " + previous + " stopped");
            }
            claimed.add(new Lease(id, me, r.leaseEpoch));
        }
        return claimed;
    }

    /** Extends this replica's leases; returns those it no longer holds (another replica took them over, or they ended). */
    @Transactional
    public Set<Long> renew(Collection<Lease> leases, Instant until) {
        Set<Long> lost = new HashSet<>();
        for (Lease l : leases) {
            if (rollouts.renew(l.rollout(), l.owner(), l.epoch(), until) == 0) {
                lost.add(l.rollout());
            }
        }
        return lost;
    }

    /** Lets other replicas take this one's rollouts at once (it is stopping); a restart under the same name takes them back. */
    @Transactional
    public int release(String me) {
        return rollouts.expireLeases(me, Instant.now());
    }

    /** The rollout, locked, if {@code lease} still holds it: every write of a rollout's driver goes through here. */
    private Rollout fenced(Lease lease) {
        Rollout r = rollouts.lock(lease.rollout()).orElseThrow(() -> new IllegalStateException("no rollout " + lease.rollout()));
        if (!lease.owner().equals(r.owner) || r.leaseEpoch != lease.epoch()) {
            throw new LeaseLost(lease, r.owner, r.leaseEpoch);
        }
        return r;
    }

    /** Moves the rollout to {@code next} and ends any lease on it (a finished or waiting rollout has no driver). */
    private void end(Rollout r, RolloutState next, String detail) {
        if (next != r.state) {
            move(r, next, detail);
        }
        if (next.terminal()) {
            r.finishedAt = Instant.now();
        }
        if (next != RolloutState.RUNNING) {
            r.owner = null;
            r.leaseUntil = null;
            r.leaseEpoch++;
        }
    }

    private void recordGeneration(Rollout r, HostRecord h) {
        switch (h.state()) {
            case CONFIRMED -> hostService.recordGeneration(h.name(), h.generation(), h.toplevel().isEmpty() ? null : h.toplevel(),
                    r.goal == Goal.ROLLBACK ? "ROLLED_BACK" : h.changed() ? "SWITCHED" : "UNCHANGED", r.id, h.reason());
            case ROLLED_BACK -> hostService.recordGeneration(h.name(), h.fromGeneration(), h.fromSystem().isEmpty() ? null : h.fromSystem(),
                    "ROLLED_BACK", r.id, h.reason());
            default -> { }
        }
    }

    private static String summary(RolloutRecord done) {
        Map<HostRecord.Result, Long> counts = new EnumMap<>(HostRecord.Result.class);
        done.hosts().forEach(h -> counts.merge(h.result(), 1L, Long::sum));
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().word().replace('-', ' '))
                .collect(Collectors.joining(", "));
    }

    private void move(Rollout r, RolloutState next, String detail) {
        if (!r.state.canMoveTo(next)) {
            throw new IllegalStateException("rollout " + r.id + " cannot go from " + r.state + " to " + next);
        }
        r.state = next;
        event(r, RolloutEvent.Kind.ROLLOUT, null, next.name(), detail);
    }

    private void event(Rollout r, RolloutEvent.Kind kind, String host, String state, String detail) {
        event(r, kind, host, state, detail, Instant.now());
    }

    private void event(Rollout r, RolloutEvent.Kind kind, String host, String state, String detail, Instant at) {
        RolloutEvent e = new RolloutEvent();
        e.rolloutId = r.id;
        e.seq = r.nextSeq++;
        e.at = at;
        e.kind = kind;
        e.hostName = host;
        e.state = state;
        e.detail = detail;
        events.persist(e);
    }
}
