package dev.flotilla.controller.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.controller.rollout.domain.HostState;
import dev.flotilla.controller.rollout.domain.RolloutState;
import dev.flotilla.controller.rollout.persistence.Rollout;
import dev.flotilla.controller.rollout.persistence.RolloutHost;
import dev.flotilla.controller.rollout.persistence.RolloutHostRepository;
import dev.flotilla.controller.rollout.persistence.RolloutRepository;
import dev.flotilla.controller.rollout.service.Lease;
import dev.flotilla.controller.rollout.service.LeaseLost;
import dev.flotilla.controller.rollout.service.RolloutRecorder;
import dev.flotilla.deploy.HostResult;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Fencing: once another replica has taken a rollout over (raising its token), the previous driver,
 * say one that was paused for longer than its lease, can record nothing more, and cannot renew.
 */
@QuarkusTest
class RolloutLeaseTest {

    @Inject
    RolloutRecorder recorder;

    @Inject
    RolloutRepository rollouts;

    @Inject
    RolloutHostRepository hosts;

    @Test
    void aStaleDriverCanNeitherRecordNorRenewAfterATakeover() {
        String host = "lease-" + UUID.randomUUID().toString().substring(0, 8);
        // Driven by "paused", token 1, its lease far from over (so the test's own replica leaves it alone).
        long id = QuarkusTransaction.requiringNew().call(() -> {
            Rollout r = new Rollout();
            r.state = RolloutState.RUNNING;
            r.configPath = "/nowhere/host.nix";
            r.parallelism = 1;
            r.mode = "switch";
            r.createdBy = "lease-test";
            r.createdAt = Instant.now();
            r.owner = "paused";
            r.leaseUntil = Instant.now().plusSeconds(600);
            r.leaseEpoch = 1;
            rollouts.persist(r);
            RolloutHost h = new RolloutHost();
            h.rolloutId = r.id;
            h.hostName = host;
            h.state = HostState.PENDING;
            h.host = Map.of("name", host, "address", "127.0.0.1", "port", 1, "user", "root");
            h.updatedAt = r.createdAt;
            hosts.persist(h);
            return r.id;
        });
        Lease stale = new Lease(id, "paused", 1);
        assertEquals(false, recorder.recordStage(stale, host, HostState.EVALUATING, null));

        // What a claim by another replica does: new owner, token raised.
        QuarkusTransaction.requiringNew().run(() -> {
            Rollout r = rollouts.findById(id);
            r.owner = "taker";
            r.leaseEpoch = 2;
        });
        Lease current = new Lease(id, "taker", 2);

        assertThrows(LeaseLost.class, () -> recorder.recordStage(stale, host, HostState.SWITCHING, null));
        assertThrows(LeaseLost.class, () -> recorder.recordResult(stale,
                new HostResult.Switched(host, 1, 2, "/flotilla/store/x", HostResult.Transfer.NONE, Duration.ZERO), false));
        assertThrows(LeaseLost.class, () -> recorder.finish(stale, null));
        assertEquals(java.util.Set.of(id), recorder.renew(List.of(stale), Instant.now().plusSeconds(60)));
        assertTrue(recorder.renew(List.of(current), Instant.now().plusSeconds(60)).isEmpty());
        assertThrows(LeaseLost.class, () -> recorder.recordStage(new Lease(id, "taker", 1), host, HostState.SWITCHING, null),
                "the same name with an older token is stale too");

        // Nothing the stale driver tried was stored; the new one carries on.
        assertEquals(HostState.EVALUATING, QuarkusTransaction.requiringNew().call(() -> hosts.find(id, host).orElseThrow().state));
        recorder.recordStage(current, host, HostState.BUILDING, null);
        assertEquals(RolloutState.FAILED, recorder.finish(current, "lease test over"));
        assertEquals(null, QuarkusTransaction.requiringNew().call(() -> rollouts.findById(id).owner));
        assertThrows(LeaseLost.class, () -> recorder.recordStage(current, host, HostState.SWITCHING, null), "an ended rollout takes no writes");
    }
}
