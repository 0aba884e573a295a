package dev.flotilla.controller.rollout.service;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.controller.config.ControllerConfig;
import dev.flotilla.controller.engine.Engine;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.plan.Plan;
import dev.flotilla.deploy.plan.PlanLoader;
import dev.flotilla.deploy.rollout.Approvals;
import dev.flotilla.deploy.rollout.Goal;
import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.deploy.rollout.HostState;
import dev.flotilla.deploy.rollout.RolloutEngine;
import dev.flotilla.deploy.rollout.RolloutEvent;
import dev.flotilla.deploy.rollout.RolloutRecord;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Drives the rollouts this replica has claimed, each on a worker thread running the staged engine
 * ({@link RolloutEngine}) over {@link PostgresRolloutStore}. At most {@code max-concurrent} at once;
 * the sweep claims no more than {@link #room()}.
 *
 * <p>Before each switch the run checks, in the database, that its lease still holds and whether an
 * operator asked it to pause: a stale driver never starts a switch, and a pause stops the run as a kill
 * would (hosts caught mid-step are reconciled when it resumes). An abort halts it through the engine's
 * halt request: no new host switches, and the plan's rollback policy runs.
 */
@ApplicationScoped
public class RolloutRunner {

    private static final Logger LOG = Logger.getLogger(RolloutRunner.class);

    /** One run in progress here: its worker thread and what an operator asked of it. */
    private static final class Run {
        final Lease lease;
        volatile Thread thread;
        volatile boolean lost;
        volatile RolloutRecorder.Requests requests = new RolloutRecorder.Requests(false, false);

        Run(Lease lease) {
            this.lease = lease;
        }

        void stop() {
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
        }
    }

    private final RolloutRecorder recorder;
    private final RolloutSignals signals;
    private final Engine engine;
    private final DataSource db;
    private final MeterRegistry metrics;
    private final int maxConcurrent;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rollout-", 0).factory());
    private final Map<Long, Run> running = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public RolloutRunner(RolloutRecorder recorder, RolloutSignals signals, Engine engine, DataSource db, ControllerConfig config,
                         MeterRegistry metrics) {
        this.recorder = recorder;
        this.signals = signals;
        this.engine = engine;
        this.db = db;
        this.metrics = metrics;
        this.maxConcurrent = config.rollouts().maxConcurrent();
    }

    /** The leases of the rollouts this replica drives now. */
    public List<Lease> running() {
        return running.values().stream().map(r -> r.lease).toList();
    }

    /** How many more rollouts this replica can drive now. */
    public int room() {
        return Math.max(0, maxConcurrent - running.size());
    }

    /** Another replica holds these now: their runs here stop at once, as a killed process would. */
    public void lost(Set<Long> ids) {
        for (long id : ids) {
            Run r = running.get(id);
            if (r != null) {
                LOG.warnf("rollout %d: lease lost; this replica stops driving it", id);
                r.lost = true;
                r.stop();
            }
        }
    }

    /** An operator asked something of a rollout: if it runs here, its run finds out now rather than at its next switch. */
    public void requested(long id) {
        Run r = running.get(id);
        if (r == null) {
            return;
        }
        try {
            r.requests = recorder.requests(r.lease);
            if (r.requests.pause()) {
                r.stop();
            }
        } catch (LeaseLost e) {
            lost(Set.of(id));
        }
    }

    /** Checks every run's requests (the sweep): another replica's API may have taken them. */
    public void refresh() {
        running.keySet().forEach(this::requested);
    }

    public void submit(Lease lease) {
        long id = lease.rollout();
        Run run = new Run(lease);
        if (running.putIfAbsent(id, run) != null) {
            return;
        }
        workers.submit(() -> {
            run.thread = Thread.currentThread();
            try {
                drive(run);
            } catch (InterruptedException e) {
                if (!stopping && !run.lost && run.requests.pause()) {
                    recorder.paused(lease);
                    return;
                }
                LOG.infof("rollout %d left for another run: %s", id, run.lost ? "lease lost" : "this replica is stopping");
            } catch (LeaseLost e) {
                LOG.warnf("rollout %d: %s; stopped driving it", id, e.getMessage());
            } catch (IOException | RuntimeException | LinkageError e) {
                // LinkageError: an engine of another version on the class path; say so rather than die silently.
                LOG.errorf(e, "rollout %d: its run failed; another run will resume it", id);
            } finally {
                run.thread = null;
                running.remove(id);
                signals.changed();
            }
        });
    }

    private void drive(Run run) throws InterruptedException, IOException {
        Lease lease = run.lease;
        long id = lease.rollout();
        RolloutRecorder.Start start = recorder.begin(lease);
        run.requests = recorder.requests(lease);
        signals.changed();
        EventBuffer events = new EventBuffer();
        PostgresRolloutStore store = new PostgresRolloutStore(db, lease, events, signals::changed);
        DeploySettings settings = engine.settings(start.parallelism(), SwitchMode.parse(start.mode()));
        Plan plan = PlanLoader.parse("rollout " + id + " (stored plan)", start.plan());

        RolloutRecord record;
        if (!start.planned()) {
            Map<String, String> toplevels = Map.of();
            if (start.goal() == Goal.DEPLOY) {
                SystemBuilds built = SystemBuilds.of(engine.source(start.configPath()), start.hosts(), start.parallelism());
                if (!built.failures().isEmpty()) {
                    recorder.failBuild(lease, built.failures());
                    return;
                }
                toplevels = built.toplevels();
            }
            record = RolloutEngine.plan(Long.toString(id), start.goal(), start.description(), plan, start.hosts(), toplevels,
                    start.generations(), Instant.now());
            store.save(record);
        } else {
            record = store.load(Long.toString(id)).orElseThrow(() -> new IllegalStateException("rollout " + id + " has no stored snapshot"));
            if (needsSystems(record) && !rebuilt(lease, start, record)) {
                return;
            }
        }
        signals.changed();

        Approvals approvals = request -> recorder.approvedStages(id).contains(request.stage())
                ? Approvals.Decision.APPROVED : Approvals.Decision.LATER;
        RolloutEngine runner = new RolloutEngine(engine.agents(settings), store, approvals, new Watch(run).and(events),
                start.parallelism()).haltWhen(() -> run.requests.abort() ? "aborted by an operator" : null);
        RolloutRecord done;
        try {
            done = runner.run(record);
        } catch (InterruptedException e) {
            if (stopping || run.lost || !run.requests.pause()) {
                throw e;
            }
            // Paused: what the store has is where the run stopped; a resumed run reconciles hosts caught mid-step.
            done = store.load(Long.toString(id)).orElseThrow();
        }
        recorder.finish(lease, done, events.drain());
        signals.changed();
    }

    /** A deploy that still copies needs every system in this replica's store (another replica may have built them). */
    private static boolean needsSystems(RolloutRecord r) {
        return r.goal().requiresCopy() && r.hosts().stream().anyMatch(h -> h.state() == HostState.PENDING || h.state() == HostState.COPYING);
    }

    /** Builds the systems again; false (the rollout failed) when they differ from what the rollout planned. */
    private boolean rebuilt(Lease lease, RolloutRecorder.Start start, RolloutRecord record) throws InterruptedException {
        SystemBuilds built = SystemBuilds.of(engine.source(start.configPath()), start.hosts(), start.parallelism());
        Map<String, String> failures = new java.util.LinkedHashMap<>(built.failures());
        for (HostRecord h : record.hosts()) {
            String now = built.toplevels().get(h.name());
            if (now != null && !now.equals(h.toplevel())) {
                failures.put(h.name(), "its configuration now builds " + now + ", not the planned " + h.toplevel()
                        + " (the configuration file changed); start a new rollout");
            }
        }
        if (failures.isEmpty()) {
            return true;
        }
        recorder.failBuild(lease, failures);
        return false;
    }

    /** Guards each switch (lease, pause), times stages and each host's switch (switching until settled). */
    private final class Watch implements dev.flotilla.deploy.rollout.RolloutListener {
        private final Run run;
        private final Map<String, Long> switching = new java.util.concurrent.ConcurrentHashMap<>();
        private String stage;
        private long stageStart;

        Watch(Run run) {
            this.run = run;
        }

        @Override
        public void on(RolloutEvent event) {
            switch (event) {
                case RolloutEvent.Transition t when t.to() == HostState.SWITCHING || t.to() == HostState.ROLLING_BACK -> {
                    guard(t);
                    switching.putIfAbsent(t.host(), System.nanoTime());
                }
                case RolloutEvent.Transition t when t.to().settled() -> {
                    Long start = switching.remove(t.host());
                    if (start != null) {
                        metrics.timer("flotilla.rollout.host.switch.duration", "state", t.to().name())
                                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    }
                }
                case RolloutEvent.StageStarted s -> {
                    stageEnded();
                    stage = s.stage();
                    stageStart = System.nanoTime();
                }
                case RolloutEvent.StageFinished f -> stageEnded();
                case RolloutEvent.Finished f -> stageEnded();
                default -> { }
            }
        }

        /** Fenced: after a takeover (or with a pause asked for) no switch starts from this run. */
        private void guard(RolloutEvent.Transition t) {
            try {
                run.requests = recorder.requests(run.lease);
            } catch (RuntimeException e) {
                run.lost = true;
                throw new java.util.concurrent.CancellationException("rollout " + run.lease.rollout() + ": " + e.getMessage());
            }
            if (run.requests.pause() && t.to() == HostState.SWITCHING) {
                throw new java.util.concurrent.CancellationException("rollout " + run.lease.rollout() + " paused by an operator");
            }
        }

        private void stageEnded() {
            if (stage != null) {
                metrics.timer("flotilla.rollout.stage.duration", "stage", stage).record(System.nanoTime() - stageStart, TimeUnit.NANOSECONDS);
                stage = null;
            }
        }
    }

    /** Stops driving (the replica is stopping): workers are interrupted and given a moment to unwind. */
    @PreDestroy
    void stop() {
        stopping = true;
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
