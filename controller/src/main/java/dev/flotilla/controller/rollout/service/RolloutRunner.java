package dev.flotilla.controller.rollout.service;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.controller.config.ControllerConfig;
import dev.flotilla.controller.engine.Engine;
import dev.flotilla.controller.rollout.domain.HostState;
import dev.flotilla.deploy.DeployListener;
import dev.flotilla.deploy.HostResult;
import dev.flotilla.deploy.Stage;
import dev.flotilla.inventory.Inventory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * Drives rollouts on worker threads: runs the engine and records each of its callbacks before the
 * engine goes on. A bounded number run at once; the rest wait, still PENDING.
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

    private final RolloutRecorder recorder;
    private final RolloutSignals signals;
    private final Engine engine;
    private final Replica replica;
    private final Semaphore slots;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rollout-", 0).factory());
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private final MeterRegistry metrics;

    public RolloutRunner(RolloutRecorder recorder, RolloutSignals signals, Engine engine, Replica replica, ControllerConfig config,
                         MeterRegistry metrics) {
        this.metrics = metrics;
        this.recorder = recorder;
        this.signals = signals;
        this.engine = engine;
        this.replica = replica;
        this.slots = new Semaphore(config.rollouts().maxConcurrent());
    }

    /** Rollouts this replica drives now. */
    public Set<Long> running() {
        return Set.copyOf(running);
    }

    public void submit(long id) {
        if (!running.add(id)) {
            return;
        }
        workers.submit(() -> {
            try {
                slots.acquire();
                try {
                    drive(id);
                } finally {
                    slots.release();
                }
            } catch (InterruptedException e) {
                LOG.infof("rollout %d left for the next controller run: shutting down", id);
            } catch (RuntimeException e) {
                LOG.errorf(e, "rollout %d: could not record its progress; another run will resume it", id);
            } finally {
                running.remove(id);
                signals.changed();
            }
        });
    }

    private void drive(long id) throws InterruptedException {
        RolloutRecorder.Plan plan = recorder.begin(id, replica.id());
        signals.changed();
        String note = null;
        if (!plan.nothingToDo()) {
            try {
                engine.deployer(plan.parallelism(), SwitchMode.parse(plan.mode()))
                        .deploy(new Inventory(plan.hosts()), plan.config(), new Listener(id, plan.done()));
            } catch (InterruptedException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.errorf(e, "rollout %d: the engine failed", id);
                note = "the engine failed: " + e;
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
        recorder.finish(id, note);
    }

    /** Records the engine's progress for one rollout; hosts done in an earlier run are skipped. */
    private final class Listener implements DeployListener {
        private final long id;
        private final Set<String> done;
        /** Each host's current stage and when (since the host started) it began, for stage durations. */
        private final Map<String, Map.Entry<Stage, Duration>> current = new ConcurrentHashMap<>();

        Listener(long id, Set<String> done) {
            this.id = id;
            this.done = done;
        }

        @Override
        public void stage(String host, Stage stage, Duration elapsed, String detail) {
            if (done.contains(host)) {
                throw new Stop(ALREADY_DONE);
            }
            stageEnded(host, elapsed);
            current.put(host, Map.entry(stage, elapsed));
            var state = HostState.of(stage);
            if (state.isEmpty()) {
                return;
            }
            boolean abort = recorder.recordStage(id, host, state.get(), detail == null || detail.isBlank() ? null : detail);
            signals.changed();
            if (abort && stage != Stage.SWITCH) {
                throw new Stop(ABORTED);
            }
        }

        @Override
        public void finished(HostResult result) {
            if (done.contains(result.host())) {
                return;
            }
            stageEnded(result.host(), result.elapsed());
            boolean aborted = result instanceof HostResult.Failed f && ABORTED.equals(f.reason());
            recorder.recordResult(id, result, aborted);
            signals.changed();
        }

        private void stageEnded(String host, Duration now) {
            Map.Entry<Stage, Duration> previous = current.remove(host);
            if (previous != null && now.compareTo(previous.getValue()) >= 0) {
                metrics.timer("flotilla.rollout.stage.duration", "stage", previous.getKey().name()).record(now.minus(previous.getValue()));
            }
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
