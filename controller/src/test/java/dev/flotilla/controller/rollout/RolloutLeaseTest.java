package dev.flotilla.controller.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.controller.rollout.domain.RolloutState;
import dev.flotilla.controller.rollout.persistence.Rollout;
import dev.flotilla.controller.rollout.persistence.RolloutRepository;
import dev.flotilla.controller.rollout.service.EventBuffer;
import dev.flotilla.controller.rollout.service.Lease;
import dev.flotilla.controller.rollout.service.LeaseLost;
import dev.flotilla.controller.rollout.service.PostgresRolloutStore;
import dev.flotilla.controller.rollout.service.RolloutRecorder;
import dev.flotilla.deploy.plan.BuiltinPlans;
import dev.flotilla.deploy.plan.PlanDocument;
import dev.flotilla.deploy.rollout.Goal;
import dev.flotilla.deploy.rollout.HostState;
import dev.flotilla.deploy.rollout.RolloutEngine;
import dev.flotilla.deploy.rollout.RolloutEvent;
import dev.flotilla.deploy.rollout.RolloutRecord;
import dev.flotilla.deploy.rollout.RolloutStore;
import dev.flotilla.inventory.Host;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Fencing of the PostgreSQL rollout store: once another replica has taken a rollout over (raising its
 * token), the previous driver, say one that was paused for longer than its lease, can save nothing,
 * claim nothing, renew nothing and end nothing; and a snapshot saved is the snapshot loaded.
 */
@QuarkusTest
class RolloutLeaseTest {

    @Inject
    RolloutRecorder recorder;

    @Inject
    RolloutRepository rollouts;

    @Inject
    DataSource db;

    @Test
    void aStaleDriverCanNeitherSaveNorRenewAfterATakeoverAndSnapshotsRoundTrip() throws Exception {
        String name = "lease-" + UUID.randomUUID().toString().substring(0, 8);
        Host host = new Host(name, "127.0.0.1", 1, "root", Optional.empty(), Set.of(), Set.of("all"), Map.of());
        long id = recorder.insert(new RolloutRecorder.NewRollout(Goal.DEPLOY, "/nowhere/host.nix", name, 1, "switch",
                PlanDocument.toJson(BuiltinPlans.ALL_AT_ONCE), "lease test", null, List.of(host), Map.of()), "lease-test");
        // Driven by "paused", its lease far from over (so the test's own replica leaves it alone).
        QuarkusTransaction.requiringNew().run(() -> {
            Rollout r = rollouts.findById(id);
            r.state = RolloutState.RUNNING;
            r.owner = "paused";
            r.leaseUntil = Instant.now().plusSeconds(600);
            r.leaseEpoch = 1;
        });
        Lease stale = new Lease(id, "paused", 1);
        EventBuffer events = new EventBuffer();
        PostgresRolloutStore staleStore = new PostgresRolloutStore(db, stale, events, () -> {});
        RolloutRecord planned = RolloutEngine.plan(Long.toString(id), Goal.DEPLOY, "lease test", BuiltinPlans.ALL_AT_ONCE,
                List.of(host), Map.of(name, "/flotilla/store/aaaa-system"), Map.of(), Instant.now().truncatedTo(ChronoUnit.MICROS));
        events.on(new RolloutEvent.Transition(planned.id(), Instant.now(), name, HostState.PENDING, HostState.COPYING, "copying",
                Duration.ZERO, 0));
        staleStore.save(planned);
        staleStore.claim(planned.id()).close();
        RolloutRecord loaded = new PostgresRolloutStore(db).load(planned.id()).orElseThrow();
        assertEquals(planned.hosts(), loaded.hosts());
        assertEquals(planned.stages(), loaded.stages());
        assertEquals(planned.plan(), loaded.plan());
        assertEquals(1, staleStore.rowsWritten() - 2, "one host row and one event row, besides the rollout row");

        // What a claim by another replica does: new owner, token raised.
        QuarkusTransaction.requiringNew().run(() -> {
            Rollout r = rollouts.findById(id);
            r.owner = "taker";
            r.leaseEpoch = 2;
        });
        Lease current = new Lease(id, "taker", 2);

        assertThrows(LeaseLost.class, () -> staleStore.save(planned));
        assertThrows(RolloutStore.RolloutBusyException.class, () -> staleStore.claim(planned.id()));
        assertThrows(LeaseLost.class, () -> recorder.finish(stale, planned, List.of()));
        assertThrows(LeaseLost.class, () -> new PostgresRolloutStore(db, new Lease(id, "taker", 1), new EventBuffer(), () -> {}).save(planned),
                "the same name with an older token is stale too");
        assertEquals(Set.of(id), recorder.renew(List.of(stale), Instant.now().plusSeconds(60)));
        assertTrue(recorder.renew(List.of(current), Instant.now().plusSeconds(60)).isEmpty());

        // The new driver carries on and ends it; an ended rollout takes no writes.
        new PostgresRolloutStore(db, current, new EventBuffer(), () -> {}).save(planned);
        assertEquals(RolloutState.RUNNING, recorder.finish(current, planned, List.of()), "the engine left it running: still owned");
        QuarkusTransaction.requiringNew().run(() -> rollouts.findById(id).abortRequested = true);
        RolloutRecord halted = new RolloutRecord(planned.id(), Goal.DEPLOY, dev.flotilla.deploy.rollout.RolloutStatus.HALTED,
                planned.created(), Instant.now(), planned.description(), planned.plan(), planned.stages(), planned.hosts(), "aborted");
        assertEquals(RolloutState.ABORTED, recorder.finish(current, halted, List.of()));
        assertEquals(null, QuarkusTransaction.requiringNew().call(() -> rollouts.findById(id).owner));
        assertThrows(LeaseLost.class, () -> new PostgresRolloutStore(db, current, new EventBuffer(), () -> {}).save(planned));
    }
}
