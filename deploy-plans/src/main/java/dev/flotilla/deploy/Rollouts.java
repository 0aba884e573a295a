package dev.flotilla.deploy;

import dev.flotilla.deploy.plan.BuiltinPlans;
import dev.flotilla.deploy.plan.Plan;
import dev.flotilla.deploy.plan.PlanDocument;
import dev.flotilla.deploy.rollout.Approvals;
import dev.flotilla.deploy.rollout.Goal;
import dev.flotilla.deploy.rollout.HostAgent;
import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.deploy.rollout.HostState;
import dev.flotilla.deploy.rollout.MemoryRolloutStore;
import dev.flotilla.deploy.rollout.RolloutEngine;
import dev.flotilla.deploy.rollout.RolloutListener;
import dev.flotilla.deploy.rollout.RolloutRecord;
import dev.flotilla.deploy.rollout.RolloutStore;
import dev.flotilla.deploy.rollout.SshAgents;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Staged deploys and fleet-wide rollbacks, in-process: builds every target's system centrally (a
 * configuration error stops everything before any host is touched), then runs the rollout through the
 * {@link RolloutEngine} under a {@link Plan}, keeping it in a {@link RolloutStore}. What the CLI runs.
 */
public final class Rollouts {

    /** Where a fleet-wide rollback returns each host. */
    public sealed interface RollbackTarget {
        /**
         * The generation each host ran before its current one: the latest older generation that a stored rollout
         * saw the host run or confirmed (so a generation that failed its checks is skipped); without such
         * history, the generation numbered below the current one, as Nix does.
         */
        record Previous() implements RollbackTarget {}

        /** The same generation number on every host. */
        record Generation(int number) implements RollbackTarget {}

        /** The generations an earlier rollout left each host on. */
        record Rollout(String id) implements RollbackTarget {}
    }

    private final DeploySettings settings;
    private final SystemSource source;
    private final RolloutStore store;
    private final HostAgent.Connector connector;

    public Rollouts(DeploySettings settings, SystemSource source, RolloutStore store, HostAgent.Connector connector) {
        this.settings = settings;
        this.source = source;
        this.store = store;
        this.connector = connector;
    }

    /** Over SSH, keeping rollouts in memory only. */
    public Rollouts(DeploySettings settings, SystemSource source) {
        this(settings, source, new MemoryRolloutStore(), new SshAgents(settings));
    }

    public RolloutStore store() {
        return store;
    }

    /** Every host of the inventory, all at once, no approvals: the simplest deploy. */
    public RolloutReport deploy(Inventory inventory, RolloutListener listener) throws IOException, InterruptedException {
        return deploy(inventory, inventory.hosts(), BuiltinPlans.ALL_AT_ONCE, "deploy", Approvals.ALL, listener, false);
    }

    /**
     * Builds the systems of {@code targets} (every configuration still sees the whole inventory, so a partial
     * deploy builds the same systems as a full one), then rolls them out under {@code plan}.
     *
     * @param resumeMatching resume an interrupted rollout of exactly these systems under this plan, if the
     *                       store has one, instead of starting another
     */
    public RolloutReport deploy(Inventory inventory, List<Host> targets, Plan plan, String description, Approvals approvals,
                               RolloutListener listener, boolean resumeMatching) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Map<String, String> toplevels = new LinkedHashMap<>();
        Map<String, SystemSource.BuildException> invalid = new LinkedHashMap<>();
        build(inventory, targets, toplevels, invalid);
        if (!invalid.isEmpty()) {
            return RolloutReport.invalid(invalid, since(t0));
        }
        if (resumeMatching) {
            Optional<RolloutRecord> earlier = resumable(toplevels, plan);
            if (earlier.isPresent()) {
                return run(earlier.get(), approvals, listener, t0);
            }
        }
        Instant now = Instant.now();
        RolloutRecord r = RolloutEngine.plan(RolloutEngine.newId(now), Goal.DEPLOY, description, plan, targets, toplevels, Map.of(), now);
        store.save(r);
        return run(r, approvals, listener, t0);
    }

    /** Builds every target's system, {@code parallelism} at a time; results in the order of {@code targets}. */
    private void build(Inventory inventory, List<Host> targets, Map<String, String> toplevels,
                       Map<String, SystemSource.BuildException> invalid) throws InterruptedException {
        Map<String, java.util.concurrent.Future<String>> building = new LinkedHashMap<>();
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(settings.parallelism());
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (Host host : targets) {
                building.put(host.name(), pool.submit(() -> {
                    slots.acquire();
                    try {
                        return source.build(host, inventory).absolute();
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (var e : building.entrySet()) {
                try {
                    toplevels.put(e.getKey(), e.getValue().get());
                } catch (java.util.concurrent.ExecutionException ex) {
                    invalid.put(e.getKey(), ex.getCause() instanceof SystemSource.BuildException b ? b
                            : new SystemSource.BuildException(Step.BUILD, "building the system of " + e.getKey() + ": " + ex.getCause(), ex.getCause()));
                }
            }
        }
    }

    /** Runs an interrupted (or approval-waiting) rollout to its end. */
    public RolloutReport resume(String id, Approvals approvals, RolloutListener listener) throws IOException, InterruptedException {
        RolloutRecord r = store.load(id).orElseThrow(() -> new IllegalArgumentException("no rollout " + id + " in " + describeStore()));
        return run(r, approvals, listener, System.nanoTime());
    }

    /** Returns {@code targets} to earlier generations, stage by stage under {@code plan}, like any rollout. */
    public RolloutReport rollback(List<Host> targets, RollbackTarget to, Plan plan, String description, Approvals approvals,
                                  RolloutListener listener) throws IOException, InterruptedException {
        Map<String, Integer> generations = new LinkedHashMap<>();
        switch (to) {
            case RollbackTarget.Previous p -> generations.putAll(previousGood(targets));
            case RollbackTarget.Generation g -> targets.forEach(h -> generations.put(h.name(), g.number()));
            case RollbackTarget.Rollout r -> generations.putAll(generationsLeftBy(r.id(), targets));
        }
        Instant now = Instant.now();
        RolloutRecord r = RolloutEngine.plan(RolloutEngine.newId(now), Goal.ROLLBACK, description, plan, targets, Map.of(), generations, now);
        store.save(r);
        return run(r, approvals, listener, System.nanoTime());
    }

    /** For each target with rollout history: the latest generation below its current one known to have been good. */
    Map<String, Integer> previousGood(List<Host> targets) throws IOException, InterruptedException {
        Map<String, java.util.TreeSet<Integer>> good = new LinkedHashMap<>();
        for (RolloutRecord r : store.list()) {
            for (HostRecord h : r.hosts()) {
                java.util.TreeSet<Integer> g = good.computeIfAbsent(h.name(), k -> new java.util.TreeSet<>());
                if (h.fromGeneration() > 0 && h.state() != HostState.PENDING) {
                    g.add(h.fromGeneration());
                }
                if (h.state() == HostState.CONFIRMED && h.generation() > 0) {
                    g.add(h.generation());
                }
            }
        }
        Map<String, Integer> out = new java.util.concurrent.ConcurrentHashMap<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(settings.parallelism());
            for (Host h : targets) {
                java.util.TreeSet<Integer> known = good.get(h.name());
                if (known == null || known.isEmpty()) {
                    continue;
                }
                pool.submit(() -> {
                    slots.acquire();
                    try (HostAgent a = connector.connect(HostRecord.pending(h.name(), h.address(), h.port(), h.hostKey().orElse(""),
                            "", 0, "", 0, Instant.now()))) {
                        Integer below = known.lower(a.status().defaultGeneration());
                        if (below != null) {
                            out.put(h.name(), below);
                        }
                    } catch (IOException | RuntimeException e) {
                        // Unreachable now: the rollout reports it when it gets there.
                    } finally {
                        slots.release();
                    }
                    return null;
                });
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return out;
    }

    /** The generation each target was on when rollout {@code id} ended. */
    Map<String, Integer> generationsLeftBy(String id, List<Host> targets) throws IOException {
        RolloutRecord earlier = store.load(id).orElseThrow(() -> new IllegalArgumentException("no rollout " + id + " in " + describeStore()));
        if (!earlier.status().finished()) {
            throw new IllegalArgumentException("rollout " + id + " has not finished (" + earlier.status().word() + ")");
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Host h : targets) {
            HostRecord rec = earlier.host(h.name()).orElseThrow(() -> new IllegalArgumentException(
                    "host " + h.name() + " was not part of rollout " + id));
            int g = rec.state() == HostState.CONFIRMED ? rec.generation() : rec.fromGeneration();
            if (g <= 0) {
                throw new IllegalArgumentException("rollout " + id + " left " + h.name() + " on no known generation");
            }
            out.put(h.name(), g);
        }
        return out;
    }

    /** An unfinished deploy of exactly these systems under the same plan, that nobody is running. */
    public Optional<RolloutRecord> resumable(Map<String, String> toplevels, Plan plan) throws IOException {
        String planJson = PlanDocument.toJson(plan);
        for (RolloutRecord r : store.list()) {
            Map<String, String> theirs = r.hosts().stream().collect(Collectors.toMap(HostRecord::name, HostRecord::toplevel));
            if (r.goal() == Goal.DEPLOY && !r.status().finished() && theirs.equals(toplevels) && r.plan().equals(planJson)) {
                try (RolloutStore.Claim c = store.claim(r.id())) {
                    return Optional.of(r);
                } catch (RolloutStore.RolloutBusyException busy) {
                    // Someone is running it; leave it to them.
                }
            }
        }
        return Optional.empty();
    }

    private RolloutReport run(RolloutRecord r, Approvals approvals, RolloutListener listener, long t0) throws IOException, InterruptedException {
        RolloutRecord done = new RolloutEngine(connector, store, approvals, listener, settings.parallelism()).run(r);
        return new RolloutReport(Optional.of(done), RolloutReport.Outcome.of(done.status()), done.reason(), Map.of(), since(t0));
    }

    private String describeStore() {
        return store instanceof dev.flotilla.deploy.rollout.FileRolloutStore f ? f.dir().toString() : "the rollout store";
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
