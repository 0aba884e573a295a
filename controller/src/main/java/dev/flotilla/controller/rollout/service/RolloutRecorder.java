package dev.flotilla.controller.rollout.service;

import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.host.service.HostService;
import dev.flotilla.controller.rollout.domain.HostState;
import dev.flotilla.controller.rollout.domain.RolloutState;
import dev.flotilla.controller.rollout.persistence.Rollout;
import dev.flotilla.controller.rollout.persistence.RolloutEvent;
import dev.flotilla.controller.rollout.persistence.RolloutEventRepository;
import dev.flotilla.controller.rollout.persistence.RolloutHost;
import dev.flotilla.controller.rollout.persistence.RolloutHostRepository;
import dev.flotilla.controller.rollout.persistence.RolloutRepository;
import dev.flotilla.deploy.HostResult;
import dev.flotilla.inventory.Host;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Writes every state change of rollouts and their hosts, each in its own transaction, under the
 * rollout row's lock: events get gap-free numbers in commit order, and a state machine violation is
 * caught here, never stored.
 */
@ApplicationScoped
public class RolloutRecorder {

    private static final Logger LOG = Logger.getLogger(RolloutRecorder.class);

    /** What a replica needs to drive a rollout: every host (for the fleet's facts) and which ones are already done. */
    public record Plan(long id, Path config, int parallelism, String mode, List<Host> hosts, Set<String> done) {
        boolean nothingToDo() {
            return done.size() >= hosts.size();
        }
    }

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
    public long insert(Path config, String selector, int parallelism, String mode, List<Host> targets, String actor) {
        Rollout r = new Rollout();
        r.state = RolloutState.PENDING;
        r.configPath = config.toString();
        r.selector = selector;
        r.parallelism = parallelism;
        r.mode = mode;
        r.createdBy = actor;
        r.createdAt = Instant.now();
        rollouts.persist(r);
        int position = 0;
        for (Host h : targets) {
            RolloutHost rh = new RolloutHost();
            rh.rolloutId = r.id;
            rh.position = position++;
            rh.hostName = h.name();
            rh.state = HostState.PENDING;
            rh.host = HostSnapshot.of(h);
            rh.updatedAt = r.createdAt;
            hosts.persist(rh);
        }
        event(r, RolloutEvent.Kind.ROLLOUT, null, r.state.name(),
                "created by " + actor + ": " + targets.size() + " hosts, config " + r.configPath + ", parallel " + parallelism);
        return r.id;
    }

    /**
     * Starts (or restarts) driving a rollout: PENDING becomes RUNNING; hosts left in progress by a
     * replica that stopped go back to PENDING; with an abort requested, every host not done is aborted.
     */
    @Transactional
    public Plan begin(Lease lease) {
        long id = lease.rollout();
        String me = lease.owner();
        Rollout r = fenced(lease);
        List<RolloutHost> all = hosts.ofRollout(id);
        List<Host> snapshot = all.stream().map(h -> HostSnapshot.toHost(h.host)).toList();
        Plan plan = new Plan(id, Path.of(r.configPath), r.parallelism, r.mode, snapshot,
                all.stream().filter(h -> h.state.terminal()).map(h -> h.hostName).collect(Collectors.toSet()));
        if (r.state.terminal()) {
            return new Plan(id, plan.config(), r.parallelism, r.mode, snapshot, Set.copyOf(plan.hosts().stream().map(Host::name).toList()));
        }
        if (r.state == RolloutState.PENDING) {
            move(r, RolloutState.RUNNING, "started by " + me);
            r.startedAt = Instant.now();
        }
        for (RolloutHost h : all) {
            if (!h.state.terminal() && h.state != HostState.PENDING) {
                String was = h.state.name();
                moveHost(r, h, HostState.PENDING, "re-driven by " + me + ": it was " + was + " when its controller stopped");
            }
            if (r.abortRequested && !h.state.terminal()) {
                moveHost(r, h, HostState.ABORTED, "rollout aborted before this host started");
            }
        }
        return r.abortRequested ? new Plan(id, plan.config(), r.parallelism, r.mode, snapshot,
                Set.copyOf(snapshot.stream().map(Host::name).toList())) : plan;
    }

    /** Records that a host entered an engine stage; returns whether an abort was requested. */
    @Transactional
    public boolean recordStage(Lease lease, String host, HostState state, String detail) {
        long id = lease.rollout();
        Rollout r = fenced(lease);
        RolloutHost h = hosts.find(id, host).orElseThrow(() -> new IllegalStateException("rollout " + id + " has no host " + host));
        moveHost(r, h, state, detail);
        return r.abortRequested;
    }

    @Transactional
    public void recordResult(Lease lease, HostResult result, boolean aborted) {
        long id = lease.rollout();
        Rollout r = fenced(lease);
        RolloutHost h = hosts.find(id, result.host()).orElseThrow();
        HostState state = HostState.of(result, aborted);
        h.pathsSent += result.transfer().pathsSent();
        h.bytesSent += result.transfer().bytesSent();
        String detail;
        switch (result) {
            case HostResult.Switched s -> {
                h.fromGeneration = s.fromGeneration();
                h.toGeneration = s.toGeneration();
                h.toplevel = s.toplevel();
                detail = "generation " + s.fromGeneration() + " -> " + s.toGeneration();
                hostService.recordGeneration(h.hostName, s.toGeneration(), s.toplevel(), "SWITCHED", id, detail);
            }
            case HostResult.Unchanged u -> {
                h.fromGeneration = u.generation();
                h.toGeneration = u.generation();
                h.toplevel = u.toplevel();
                detail = "already on generation " + u.generation();
                hostService.recordGeneration(h.hostName, u.generation(), u.toplevel(), "UNCHANGED", id, detail);
            }
            case HostResult.RolledBack b -> {
                h.fromGeneration = b.generation();
                h.toGeneration = b.generation();
                h.reason = b.reason();
                detail = "generation " + b.failedGeneration() + " failed, back on " + b.generation() + ": " + b.reason();
                hostService.recordGeneration(h.hostName, b.generation(), null, "ROLLED_BACK", id, detail);
            }
            case HostResult.Failed f -> {
                h.reason = f.reason();
                detail = aborted ? f.reason() : "failed while " + f.stage().verb() + ": " + f.reason();
            }
        }
        moveHost(r, h, state, detail);
        metrics.counter("flotilla.rollout.hosts", "state", state.name()).increment();
        metrics.counter("flotilla.bytes.copied").increment(result.transfer().bytesSent());
        metrics.timer("flotilla.rollout.host.duration", "state", state.name()).record(result.elapsed());
    }

    /** Ends a rollout: hosts without a result fail, the outcome follows from the hosts, the lease is released. */
    @Transactional
    public RolloutState finish(Lease lease, String note) {
        return end(fenced(lease), note);
    }

    private RolloutState end(Rollout r, String note) {
        long id = r.id;
        if (r.state.terminal()) {
            return r.state;
        }
        if (note != null) {
            event(r, RolloutEvent.Kind.NOTE, null, null, note);
        }
        Map<HostState, Integer> counts = new EnumMap<>(HostState.class);
        for (RolloutHost h : hosts.ofRollout(id)) {
            if (!h.state.terminal() && r.abortRequested) {
                h.reason = "rollout aborted before this host finished";
                moveHost(r, h, HostState.ABORTED, h.reason);
            } else if (!h.state.terminal()) {
                h.reason = note != null ? note : "the engine ended without a result for this host";
                moveHost(r, h, HostState.FAILED, h.reason);
            }
            counts.merge(h.state, 1, Integer::sum);
        }
        boolean allGood = counts.keySet().stream().allMatch(HostState::succeeded);
        RolloutState outcome = r.abortRequested ? RolloutState.ABORTED : allGood ? RolloutState.SUCCEEDED : RolloutState.FAILED;
        r.summary = counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().name().toLowerCase().replace('_', ' '))
                .collect(Collectors.joining(", "));
        move(r, outcome, r.summary);
        r.finishedAt = Instant.now();
        r.owner = null;
        r.leaseUntil = null;
        r.leaseEpoch++;
        metrics.counter("flotilla.rollouts", "outcome", outcome.name()).increment();
        return outcome;
    }

    /** Asks a rollout to stop. A rollout nobody has started yet is aborted at once. */
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
        if (r.state == RolloutState.PENDING) {
            for (RolloutHost h : hosts.ofRollout(id)) {
                if (!h.state.terminal()) {
                    moveHost(r, h, HostState.ABORTED, "rollout aborted before this host started");
                }
            }
            end(r, null);
        }
        return r;
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
        Rollout r = locked(lease.rollout());
        if (!lease.owner().equals(r.owner) || r.leaseEpoch != lease.epoch()) {
            throw new LeaseLost(lease, r.owner, r.leaseEpoch);
        }
        return r;
    }

    private Rollout locked(long id) {
        return rollouts.lock(id).orElseThrow(() -> new IllegalStateException("no rollout " + id));
    }

    private void move(Rollout r, RolloutState next, String detail) {
        if (!r.state.canMoveTo(next)) {
            throw new IllegalStateException("rollout " + r.id + " cannot go from " + r.state + " to " + next);
        }
        r.state = next;
        event(r, RolloutEvent.Kind.ROLLOUT, null, next.name(), detail);
    }

    private void moveHost(Rollout r, RolloutHost h, HostState next, String detail) {
        if (!h.state.canMoveTo(next)) {
            LOG.warnf("rollout %d: host %s cannot go from %s to %s; ignored", r.id, h.hostName, h.state, next);
            return;
        }
        h.state = next;
        h.updatedAt = Instant.now();
        event(r, RolloutEvent.Kind.HOST, h.hostName, next.name(), detail);
    }

    private void event(Rollout r, RolloutEvent.Kind kind, String host, String state, String detail) {
        RolloutEvent e = new RolloutEvent();
        e.rolloutId = r.id;
        e.seq = r.nextSeq++;
        e.at = Instant.now();
        e.kind = kind;
        e.hostName = host;
        e.state = state;
        e.detail = detail;
        events.persist(e);
    }
}
