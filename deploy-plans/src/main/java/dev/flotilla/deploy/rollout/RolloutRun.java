package dev.flotilla.deploy.rollout;

import dev.flotilla.deploy.plan.Plan;
import dev.flotilla.deploy.plan.RollbackPolicy;
import dev.flotilla.deploy.plan.StagePlan;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One execution of a rollout, fresh or resumed: reconcile (when resumed), copy phase, then each stage's
 * approval, batches, health gate and pause; a halt runs the rollback policy.
 */
final class RolloutRun {

    private enum Next { CONTINUE, HALT, LATER }

    private final Tracker tracker;
    private final HostSteps steps;
    private final Plan plan;
    private final Approvals approvals;
    private final int parallelism;
    private final Duration checkInterval;
    private final int maxUnavailable;
    private final Supplier<String> haltRequest;
    private String haltReason = "";

    RolloutRun(Tracker tracker, HostSteps steps, Plan plan, Approvals approvals, int parallelism, Duration checkInterval,
               Supplier<String> haltRequest) {
        this.haltRequest = haltRequest;
        this.tracker = tracker;
        this.steps = steps;
        this.plan = plan;
        this.approvals = approvals;
        this.parallelism = parallelism;
        this.checkInterval = checkInterval;
        this.maxUnavailable = Math.max(1, plan.maxUnavailable().ofHosts(tracker.origin().hosts().size()));
    }

    RolloutStatus execute(SnapshotWriter writer) throws InterruptedException, IOException {
        RolloutRecord origin = tracker.origin();
        boolean resumed = origin.started() || origin.status() != RolloutStatus.RUNNING;
        tracker.emit(new RolloutEvent.Started(origin.id(), tracker.now(), origin.goal(), plan.name(),
                plan.stages().stream().map(StagePlan::name).toList(), origin.hosts().size(), resumed));
        tracker.status(RolloutStatus.RUNNING, origin.reason());
        if (resumed) {
            forEachHost(tracker.hosts(h -> Set.of(HostState.COPYING, HostState.SWITCHING, HostState.CHECKING, HostState.ROLLING_BACK)
                    .contains(h.state())), steps::reconcile);
            if (origin.status() == RolloutStatus.RUNNING && !origin.reason().isEmpty()) {
                // It was halting when it stopped: finish the halt.
                return halt(currentStage(), origin.reason(), writer);
            }
        }
        if (origin.goal().requiresCopy()) {
            List<HostRecord> todo = tracker.hosts(h -> h.state() == HostState.PENDING || h.state() == HostState.COPYING);
            if (!todo.isEmpty()) {
                tracker.emit(new RolloutEvent.StageStarted(origin.id(), tracker.now(), "copy", 0, plan.stages().size(), names(todo)));
                forEachHost(todo, steps::copy);
            }
            List<HostRecord> failed = tracker.hosts(h -> h.state() == HostState.FAILED);
            if (!failed.isEmpty()) {
                return finish(RolloutStatus.FAILED, "copying failed on " + failed.size() + " host(s) (" + String.join(", ", names(failed))
                        + "); nothing was switched", writer);
            }
        }
        for (int i = 0; i < plan.stages().size(); i++) {
            Next next = stage(i, writer);
            if (next == Next.HALT) {
                return halt(i, haltReason, writer);
            }
            if (next == Next.LATER) {
                return finish(RolloutStatus.AWAITING_APPROVAL, "stage '" + plan.stages().get(i).name() + "' awaits approval", writer);
            }
        }
        boolean stuck = !tracker.hosts(h -> h.state() == HostState.FAILED).isEmpty();
        boolean rolledBack = !tracker.hosts(HostRecord::failed).isEmpty();
        return finish(stuck ? RolloutStatus.FAILED : rolledBack ? RolloutStatus.ROLLED_BACK : RolloutStatus.SUCCEEDED, stuck
                ? "some hosts failed and could not be rolled back" : "", writer);
    }

    private Next stage(int i, SnapshotWriter writer) throws InterruptedException, IOException {
        StagePlan sp = plan.stages().get(i);
        if (tracker.stage(i).status() == StageRecord.Status.DONE) {
            pause(i, writer);
            return Next.CONTINUE;
        }
        String requested = haltRequest.get();
        if (requested != null) {
            haltReason = requested;
            return Next.HALT;
        }
        List<HostRecord> hosts = stageHosts(sp);
        tracker.emit(new RolloutEvent.StageStarted(tracker.id(), tracker.now(), sp.name(), i + 1, plan.stages().size(), names(hosts)));
        if (sp.approval() && !tracker.stage(i).approved() && !hosts.isEmpty()) {
            tracker.emit(new RolloutEvent.Waiting(tracker.id(), tracker.now(), sp.name(), "approval", Duration.ZERO));
            writer.flush();
            Approvals.Decision d = approvals.decide(new Approvals.Request(tracker.id(), sp.name(), i + 1, plan.stages().size(), names(hosts)));
            switch (d) {
                case APPROVED -> tracker.stage(i, StageRecord::approve);
                case LATER -> {
                    return Next.LATER;
                }
                case REJECTED -> {
                    haltReason = "stage '" + sp.name() + "' was not approved";
                    return Next.HALT;
                }
            }
        }
        tracker.stage(i, s -> s.with(StageRecord.Status.RUNNING));
        int batches = hosts.stream().mapToInt(HostRecord::batch).max().orElse(-1) + 1;
        boolean confirmNow = sp.healthGate().isZero();
        for (int b = 0; b < batches; b++) {
            int batch = b;
            List<HostRecord> todo = tracker.hosts(h -> h.stage().equals(sp.name()) && h.batch() == batch
                    && (h.state() == HostState.COPIED || h.state() == HostState.PENDING || h.state() == HostState.SWITCHING));
            AtomicReference<String> stop = new AtomicReference<>();
            forEachHost(todo, name -> {
                String halt = haltRequest.get();
                if (halt != null) {
                    stop.compareAndSet(null, halt);
                    return;
                }
                try {
                    if (!tracker.startSwitch(name, maxUnavailable, target(tracker.host(name)), () -> stop.get() != null)) {
                        stop.compareAndSet(null, "maxUnavailable " + plan.maxUnavailable() + " (" + maxUnavailable + " host(s)) reached");
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                steps.switchHost(name, confirmNow);
                String over = overBudget(i);
                if (over != null) {
                    stop.compareAndSet(null, over);
                }
            });
            if (stop.get() != null) {
                haltReason = stop.get();
                return Next.HALT;
            }
        }
        if (!confirmNow && !gate(i, sp)) {
            return Next.HALT;
        }
        for (HostRecord h : tracker.hosts(h -> h.stage().equals(sp.name()) && h.state() == HostState.CHECKING)) {
            tracker.move(h.name(), HostState.CONFIRMED, "healthy" + (confirmNow ? "" : " for " + seconds(sp.healthGate())));
        }
        tracker.stage(i, s -> s.with(StageRecord.Status.DONE));
        List<HostRecord> after = stageHosts(sp);
        tracker.emit(new RolloutEvent.StageFinished(tracker.id(), tracker.now(), sp.name(),
                (int) after.stream().filter(h -> h.state() == HostState.CONFIRMED).count(), (int) after.stream().filter(HostRecord::failed).count()));
        if (i < plan.stages().size() - 1 && !sp.pause().isZero()) {
            Instant until = tracker.now().plus(sp.pause());
            tracker.stage(i, s -> s.pausedUntil(until));
            pause(i, writer);
        }
        return Next.CONTINUE;
    }

    /** Checks the stage's hosts again and again until the gate's time is up; false (with a reason) when over budget. */
    private boolean gate(int i, StagePlan sp) throws InterruptedException {
        tracker.emit(new RolloutEvent.Waiting(tracker.id(), tracker.now(), sp.name(), "health gate", sp.healthGate()));
        long deadline = System.nanoTime() + sp.healthGate().toNanos();
        long interval = Math.max(Duration.ofMillis(100).toNanos(), Math.min(checkInterval.toNanos(), sp.healthGate().toNanos() / 3));
        while (true) {
            long left = deadline - System.nanoTime();
            Thread.sleep(Duration.ofNanos(Math.max(0, Math.min(interval, left))));
            forEachHost(tracker.hosts(h -> h.stage().equals(sp.name()) && h.state() == HostState.CHECKING), steps::recheck);
            String over = overBudget(i);
            if (over == null) {
                over = haltRequest.get();
            }
            if (over != null) {
                haltReason = over;
                return false;
            }
            if (System.nanoTime() >= deadline) {
                return true;
            }
        }
    }

    private void pause(int i, SnapshotWriter writer) throws InterruptedException, IOException {
        if (tracker.stage(i).pauseUntil().isEmpty() || i == plan.stages().size() - 1) {
            return;
        }
        Duration left = Duration.between(tracker.now(), tracker.stage(i).pauseUntil().get());
        if (left.isNegative() || left.isZero()) {
            return;
        }
        writer.flush();
        tracker.emit(new RolloutEvent.Waiting(tracker.id(), tracker.now(), plan.stages().get(i).name(), "pause", left));
        Thread.sleep(left);
    }

    /** Why the rollout must halt after stage {@code i}'s latest failure, or null while within every budget. */
    private String overBudget(int i) {
        StagePlan sp = plan.stages().get(i);
        List<HostRecord> all = tracker.hosts(h -> true);
        List<HostRecord> inStage = all.stream().filter(h -> h.stage().equals(sp.name())).toList();
        long stageFailures = inStage.stream().filter(HostRecord::failed).count();
        int stageTolerated = sp.failureBudget().tolerated(inStage.size());
        if (stageFailures > stageTolerated) {
            return stageFailures + " failure(s) in stage '" + sp.name() + "', over its budget of " + stageTolerated
                    + " (" + sp.failureBudget() + " of " + inStage.size() + ")";
        }
        long failures = all.stream().filter(HostRecord::failed).count();
        int tolerated = plan.failureBudget().tolerated(all.size());
        if (failures > tolerated) {
            return failures + " failure(s), over the rollout's budget of " + tolerated + " (" + plan.failureBudget() + " of " + all.size() + ")";
        }
        return null;
    }

    /** Records the decision first (a resumed run finishes the halt), then rolls back what the policy says. */
    private RolloutStatus halt(int i, String reason, SnapshotWriter writer) throws InterruptedException, IOException {
        tracker.status(RolloutStatus.RUNNING, reason);
        writer.flush();
        RollbackPolicy policy = plan.rollback();
        String stageName = plan.stages().get(i).name();
        List<HostRecord> undo = tracker.hosts(h -> (h.state() == HostState.CONFIRMED || h.state() == HostState.CHECKING) && h.changed()
                && (policy == RollbackPolicy.ROLLOUT || policy == RollbackPolicy.STAGE && h.stage().equals(stageName)));
        forEachHost(undo, name -> steps.rollBack(name, "rollback policy '" + policy.spelling() + "': " + reason));
        for (HostRecord h : tracker.hosts(h -> h.state() == HostState.CHECKING)) {
            tracker.move(h.name(), HostState.CONFIRMED, "healthy until the rollout halted");
        }
        return finish(RolloutStatus.HALTED, reason, writer);
    }

    private RolloutStatus finish(RolloutStatus status, String reason, SnapshotWriter writer) throws InterruptedException, IOException {
        tracker.status(status, reason);
        writer.flush();
        return status;
    }

    private int currentStage() {
        for (int i = plan.stages().size() - 1; i >= 0; i--) {
            if (tracker.stage(i).status() != StageRecord.Status.PENDING) {
                return i;
            }
        }
        return 0;
    }

    private List<HostRecord> stageHosts(StagePlan sp) {
        return tracker.hosts(h -> h.stage().equals(sp.name()));
    }

    private String target(HostRecord h) {
        return h.toplevel().isEmpty()
                ? (h.targetGeneration() > 0 ? "to generation " + h.targetGeneration() : "to the previous generation")
                : "to " + h.toplevel();
    }

    /** Runs {@code work} for each host, {@code parallelism} at a time; an interruption stops the run as a kill would. */
    private void forEachHost(List<HostRecord> hosts, Consumer<String> work) throws InterruptedException {
        if (hosts.isEmpty()) {
            return;
        }
        Semaphore slots = new Semaphore(parallelism);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<?>> running = new ArrayList<>();
        try {
            for (HostRecord h : hosts) {
                running.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        work.accept(h.name());
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            pool.shutdown();
        } catch (InterruptedException e) {
            tracker.kill();
            pool.shutdownNow();
            throw e;
        } catch (ExecutionException e) {
            pool.shutdownNow();
            if (e.getCause() instanceof java.util.concurrent.CancellationException c) {
                throw c;
            }
            throw new IllegalStateException("rollout " + tracker.id() + ": " + e.getCause(), e.getCause());
        }
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static List<String> names(List<HostRecord> hosts) {
        return hosts.stream().map(HostRecord::name).toList();
    }
}
