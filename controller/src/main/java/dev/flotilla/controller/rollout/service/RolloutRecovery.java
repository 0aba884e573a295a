package dev.flotilla.controller.rollout.service;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Keeps every in-flight rollout driven by some replica. At start and then periodically, this replica
 * renews the leases of the rollouts it drives and claims those whose lease ran out (their replica
 * died) or that a previous run of itself left behind; each claimed rollout is re-driven from where
 * its hosts were, so none stays in an unknown state.
 */
@ApplicationScoped
public class RolloutRecovery {

    private static final Logger LOG = Logger.getLogger(RolloutRecovery.class);

    private final RolloutRecorder recorder;
    private final RolloutRunner runner;
    private final Replica replica;

    public RolloutRecovery(RolloutRecorder recorder, RolloutRunner runner, Replica replica) {
        this.recorder = recorder;
        this.runner = runner;
        this.replica = replica;
    }

    void onStart(@Observes StartupEvent event) {
        sweep();
    }

    @Scheduled(every = "${flotilla.rollouts.sweep-every:10s}", delayed = "${flotilla.rollouts.sweep-every:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            List<Long> mine = new ArrayList<>(runner.running());
            recorder.renewLeases(replica.id(), mine, replica.leaseUntil());
            List<Long> claimed = recorder.claimAbandoned(replica.id(), runner.running(), replica.leaseUntil());
            for (long id : claimed) {
                LOG.infof("resuming rollout %d", id);
                runner.submit(id);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "rollout sweep failed; retrying at the next one");
        }
    }
}
