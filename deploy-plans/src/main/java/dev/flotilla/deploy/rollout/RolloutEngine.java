package dev.flotilla.deploy.rollout;

import dev.flotilla.deploy.plan.Plan;
import dev.flotilla.deploy.plan.Planner;
import dev.flotilla.deploy.plan.StageAssignment;
import dev.flotilla.inventory.Host;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs rollouts: the same engine for a deploy and a fleet-wide rollback, in the CLI and in the controller.
 *
 * <pre>
 * RolloutRecord r = RolloutEngine.plan(RolloutEngine.newId(now), Goal.DEPLOY, "deploy fleet/", plan, targets, toplevels, Map.of(), now);
 * store.save(r);
 * RolloutRecord done = engine.run(r);          // or, after an interruption: engine.run(store.load(id).orElseThrow())
 * </pre>
 *
 * A run claims the rollout in the store, copies closures to every target before any switch, then goes
 * stage by stage (approval, batches within {@code maxUnavailable}, health gate, pause), halting when a
 * failure budget is exceeded and rolling back what the plan's policy says. Each step is saved through the
 * store; a run that was interrupted (its process killed) can be run again: it asks every host in flight what
 * it runs before acting, so no switch happens twice.
 */
public final class RolloutEngine {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final HostAgent.Connector connector;
    private final RolloutStore store;
    private final Approvals approvals;
    private final RolloutListener listener;
    private final int parallelism;
    private Duration checkInterval = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();
    private Supplier<String> haltRequest = () -> null;

    /** @param parallelism hosts copied to, switched or checked at once */
    public RolloutEngine(HostAgent.Connector connector, RolloutStore store, Approvals approvals, RolloutListener listener, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.connector = connector;
        this.store = store;
        this.approvals = approvals;
        this.listener = listener;
        this.parallelism = parallelism;
    }

    /** How often a health gate checks its hosts again (at least 3 times per gate; default 5 s). */
    public RolloutEngine checkEvery(Duration interval) {
        this.checkInterval = interval;
        return this;
    }

    /**
     * Asked before each stage, each host's switch and each health check round: a reason to halt (an operator
     * stopped the rollout), or null to go on. A halt requested this way is like a failure budget's: no new host
     * switches, switches under way finish, and the plan's rollback policy runs.
     */
    public RolloutEngine haltWhen(Supplier<String> request) {
        this.haltRequest = request;
        return this;
    }

    public RolloutEngine clock(Clock c) {
        this.clock = c;
        return this;
    }

    /** A new, sortable rollout id: {@code 20250301-142233-a1f3}. */
    public static String newId(Instant now) {
        return ID_TIME.format(now) + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(1 << 16));
    }

    /**
     * A new rollout: the plan's stages and batches for {@code targets} (deterministic, see {@link Planner}), each
     * host pending.
     *
     * @param toplevels   {@link Goal#DEPLOY}: each target's built system
     * @param generations {@link Goal#ROLLBACK}: each target's generation to return to (absent: the previous one)
     */
    public static RolloutRecord plan(String id, Goal goal, String description, Plan plan, List<Host> targets,
                                     Map<String, String> toplevels, Map<String, Integer> generations, Instant now) {
        List<HostRecord> hosts = new ArrayList<>();
        for (StageAssignment s : Planner.assign(plan, targets)) {
            for (int b = 0; b < s.batches().size(); b++) {
                for (Host h : s.batches().get(b)) {
                    String toplevel = toplevels.getOrDefault(h.name(), "");
                    if (goal == Goal.DEPLOY && toplevel.isEmpty()) {
                        throw new IllegalArgumentException("no system was built for " + h.name());
                    }
                    hosts.add(HostRecord.pending(h.name(), h.address(), h.port(), h.hostKey().orElse(""), s.stage().name(), b,
                            toplevel, generations.getOrDefault(h.name(), 0), now));
                }
            }
        }
        List<StageRecord> stages = plan.stages().stream().map(s -> StageRecord.pending(s.name())).toList();
        return new RolloutRecord(id, goal, RolloutStatus.RUNNING, now, now, description, RolloutRecord.planDocument(plan),
                stages, hosts, "");
    }

    /**
     * Runs (or resumes) {@code rollout} until it finishes, halts, or stops at an approval nobody can answer now.
     * Returns the final snapshot, which the store has too.
     *
     * @throws IllegalStateException         if the rollout has finished already (a finished rollout never changes)
     * @throws RolloutStore.RolloutBusyException if another process is running it
     * @throws InterruptedException          if interrupted: the run stops as a killed process would, and can be resumed
     */
    public RolloutRecord run(RolloutRecord rollout) throws IOException, InterruptedException {
        if (rollout.status().finished()) {
            throw new IllegalStateException("rollout " + rollout.id() + " has finished (" + rollout.status().word()
                    + ") and cannot change; start a new one");
        }
        Plan plan = rollout.parsedPlan();
        try (RolloutStore.Claim claim = store.claim(rollout.id())) {
            Tracker tracker = new Tracker(rollout, listener, clock);
            SnapshotWriter writer = new SnapshotWriter(store, tracker::snapshot);
            tracker.writeThrough(writer);
            long t0 = System.nanoTime();
            Connections connections = new Connections(connector);
            try {
                RolloutStatus status = new RolloutRun(tracker, new HostSteps(tracker, connections, rollout.goal()), plan, approvals,
                        parallelism, checkInterval, haltRequest).execute(writer);
                RolloutRecord done = tracker.snapshot();
                tracker.emit(new RolloutEvent.Finished(rollout.id(), tracker.now(), status, done.reason(), Duration.ofNanos(System.nanoTime() - t0)));
                return done;
            } catch (InterruptedException | CancellationException e) {
                tracker.kill();
                InterruptedException stopped = new InterruptedException("rollout " + rollout.id() + " was interrupted; resume it to finish");
                stopped.initCause(e);
                throw stopped;
            } finally {
                connections.close();
                writer.close();
            }
        }
    }
}
