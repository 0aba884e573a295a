package dev.flotilla.controller.rollout.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Shares rollouts between replicas through the database only. At start, every sweep, and when a
 * rollout is created here, this replica renews the leases of what it drives (dropping those another
 * replica has taken over) and claims, while it has room, rollouts nobody drives: queued ones, those
 * whose driver's lease ran out (it died), and those a previous run of itself left. A claimed rollout
 * is re-driven from where its hosts were, so none stays in an unknown state. When the replica stops,
 * it ends its leases so that another takes its rollouts over at its next sweep.
 */
@ApplicationScoped
public class RolloutRecovery {

    private static final Logger LOG = Logger.getLogger(RolloutRecovery.class);

    private final RolloutRecorder recorder;
    private final RolloutRunner runner;
    private final Replica replica;
    private final ReentrantLock sweeping = new ReentrantLock();

    public RolloutRecovery(RolloutRecorder recorder, RolloutRunner runner, Replica replica) {
        this.recorder = recorder;
        this.runner = runner;
        this.replica = replica;
    }

    void onStart(@Observes StartupEvent event) {
        sweep();
    }

    void onStop(@Observes ShutdownEvent event) {
        runner.stop();
        try {
            int released = recorder.release(replica.id());
            if (released > 0) {
                LOG.infof("released %d rollout lease(s) for other replicas to take over", released);
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not release rollout leases (they expire by themselves): %s", e.getMessage());
        }
    }

    @Scheduled(every = "${flotilla.rollouts.sweep-every:10s}", delayed = "${flotilla.rollouts.sweep-every:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        sweep();
    }

    /** Renews this replica's leases and claims what it has room for. */
    public void sweep() {
        sweeping.lock();
        try {
            List<Lease> mine = runner.running();
            Set<Long> lost = recorder.renew(mine, replica.leaseUntil());
            runner.lost(lost);
            runner.refresh();
            Set<Long> ids = Set.copyOf(mine.stream().map(Lease::rollout).toList());
            for (Lease lease : recorder.claim(replica.id(), ids, runner.room(), replica.leaseUntil())) {
                LOG.infof("driving rollout %d (token %d)", lease.rollout(), lease.epoch());
                runner.submit(lease);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "rollout sweep failed; retrying at the next one");
        } finally {
            sweeping.unlock();
        }
    }
}
