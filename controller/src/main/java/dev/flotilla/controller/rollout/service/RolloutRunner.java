package dev.flotilla.controller.rollout.service;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.controller.config.ControllerConfig;
import dev.flotilla.controller.engine.Engine;
import dev.flotilla.controller.rollout.domain.HostState;
import dev.flotilla.deploy.DeployListener;
import dev.flotilla.deploy.HostResult;
import dev.flotilla.deploy.Stage;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Drives the rollouts this replica has claimed, on worker threads: runs the engine and records each
 * of its callbacks (fenced by the rollout's lease) before the engine goes on. At most
 * {@code max-concurrent} at once; the sweep claims no more than {@link #room()}.
 */
@ApplicationScoped
public class RolloutRunner {

    private static final Logger LOG = Logger.getLogger(RolloutRunner.class);

    /** Thrown into the engine to stop a host before it switches. */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop(String message) {
            super(message, null, false, false);
        }
    }

    static final String ABORTED = "aborted by request before this host switched";
    static final String ALREADY_DONE = "already done in an earlier run of this rollout";
    static final String LEASE_LOST = "another controller replica drives this rollout now";

    private final RolloutRecorder recorder;
    private final RolloutSignals signals;
    private final Engine engine;
    private final Replica replica;
    private final int maxConcurrent;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rollout-", 0).factory());
    /** What this replica drives now, by rollout. */
    private final Map<Long, Lease> running = new ConcurrentHashMap<>();
    /** Rollouts whose lease this replica found lost: their drivers stop at their next step. */
    private final Set<Long> lost = ConcurrentHashMap.newKeySet();
    private final MeterRegistry metrics;

    public RolloutRunner(RolloutRecorder recorder, RolloutSignals signals, Engine engine, Replica replica, ControllerConfig config,
                         MeterRegistry metrics) {
        this.metrics = metrics;
        this.recorder = recorder;
        this.signals = signals;
        this.engine = engine;
        this.replica = replica;
        this.maxConcurrent = config.rollouts().maxConcurrent();
    }

    /** The leases of the rollouts this replica drives now. */
    public List<Lease> running() {
        return List.copyOf(running.values());
    }

    /** How many more rollouts this replica can drive now. */
    public int room() {
        return Math.max(0, maxConcurrent - running.size());
    }

    /** Another replica holds these now: their drivers here stop before their next step. */
    public void lost(Set<Long> ids) {
        for (long id : ids) {
            if (running.containsKey(id)) {
                LOG.warnf("rollout %d: lease lost; this replica stops driving it", id);
                lost.add(id);
            }
        }
    }

    public void submit(Lease lease) {
        long id = lease.rollout();
        if (running.putIfAbsent(id, lease) != null) {
            return;
        }
        lost.remove(id);
        workers.submit(() -> {
            try {
                drive(lease);
            } catch (InterruptedException e) {
                LOG.infof("rollout %d left for the next controller run: shutting down", id);
            } catch (LeaseLost e) {
                LOG.warnf("rollout %d: %s; stopped driving it", id, e.getMessage());
            } catch (RuntimeException | LinkageError e) {
                // LinkageError: an engine of another version on the class path; say so rather than die silently.
                LOG.errorf(e, "rollout %d: could not record its progress; another run will resume it", id);
            } finally {
                running.remove(id);
                lost.remove(id);
                signals.changed();
            }
        });
    }

    private void drive(Lease lease) throws InterruptedException {
        long id = lease.rollout();
        RolloutRecorder.Plan plan = recorder.begin(lease);
        signals.changed();
        String note = null;
        if (!plan.nothingToDo()) {
            try {
                // Only the hosts not done yet; every host still counts as fleet facts.
                List<Host> targets = plan.hosts().stream().filter(h -> !plan.done().contains(h.name())).toList();
                engine.deployer(plan.parallelism(), SwitchMode.parse(plan.mode()))
                        .deploy(new Inventory(plan.hosts()), targets, plan.config(), new Listener(lease, plan.done()));
            } catch (InterruptedException | LeaseLost e) {
                throw e;
            } catch (Stop e) {
                // An engine that lets a listener's stop end the whole run (abort, lease lost): finish records it.
                LOG.infof("rollout %d: stopped: %s", id, e.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "rollout %d: the engine failed", id);
                note = "the engine failed: " + e;
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
        recorder.finish(lease, note);
    }

    /** Records the engine's progress for one rollout; hosts done in an earlier run are skipped. */
    private final class Listener implements DeployListener {
        private final Lease lease;
        private final long id;
        private final Set<String> done;
        /** Each host's current stage and when (since the host started) it began, for stage durations. */
        private final Map<String, Map.Entry<Stage, Duration>> current = new ConcurrentHashMap<>();

        Listener(Lease lease, Set<String> done) {
            this.lease = lease;
            this.id = lease.rollout();
            this.done = done;
        }

        @Override
        public void stage(String host, Stage stage, Duration elapsed, String detail) {
            if (done.contains(host)) {
                throw new Stop(ALREADY_DONE);
            }
            if (lost.contains(id)) {
                throw new Stop(LEASE_LOST);
            }
            stageEnded(host, elapsed);
            current.put(host, Map.entry(stage, elapsed));
            var state = HostState.of(stage);
            if (state.isEmpty()) {
                return;
            }
            // Fenced: after a takeover this throws, so a host's switch never starts from a stale driver.
            boolean abort;
            try {
                abort = recorder.recordStage(lease, host, state.get(), detail == null || detail.isBlank() ? null : detail);
            } catch (LeaseLost e) {
                lost.add(id);
                throw e;
            }
            signals.changed();
            if (abort && stage != Stage.SWITCH) {
                throw new Stop(ABORTED);
            }
        }

        @Override
        public void finished(HostResult result) {
            if (done.contains(result.host()) || lost.contains(id)) {
                return;
            }
            stageEnded(result.host(), result.elapsed());
            boolean aborted = result instanceof HostResult.Failed f && ABORTED.equals(f.reason());
            recorder.recordResult(lease, result, aborted);
            signals.changed();
        }

        private void stageEnded(String host, Duration now) {
            Map.Entry<Stage, Duration> previous = current.remove(host);
            if (previous != null && now.compareTo(previous.getValue()) >= 0) {
                metrics.timer("flotilla.rollout.stage.duration", "stage", previous.getKey().name()).record(now.minus(previous.getValue()));
            }
        }
    }

    /** Stops driving (the replica is stopping): workers are interrupted and given a moment to unwind. */
    @PreDestroy
    void stop() {
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
