package dev.flotilla.deploy.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.deploy.plan.BuiltinPlans;
import dev.flotilla.deploy.plan.Plan;
import dev.flotilla.deploy.plan.PlanLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutEngineTest {

    private final MemoryRolloutStore store = new MemoryRolloutStore();
    private final List<RolloutEvent> events = Collections.synchronizedList(new ArrayList<>());

    private RolloutRecord plan(FakeFleet f, Plan plan, String version) {
        RolloutRecord r = RolloutEngine.plan(RolloutEngine.newId(Instant.now()), Goal.DEPLOY, "test", plan, f.targets(),
                f.systems(version), Map.of(), Instant.now());
        store.save(r);
        return r;
    }

    private RolloutEngine engine(FakeFleet f, Approvals approvals, int parallel) {
        return new RolloutEngine(f, store, approvals, events::add, parallel).checkEvery(Duration.ofMillis(50));
    }

    private RolloutRecord deploy(FakeFleet f, Plan plan, String version) throws Exception {
        return engine(f, Approvals.ALL, 4).run(plan(f, plan, version));
    }

    private List<RolloutEvent.Transition> transitions(String host) {
        synchronized (events) {
            return events.stream().filter(e -> e instanceof RolloutEvent.Transition t && t.host().equals(host))
                    .map(e -> (RolloutEvent.Transition) e).toList();
        }
    }

    private List<HostState> path(String host) {
        List<HostState> out = new ArrayList<>();
        List<RolloutEvent.Transition> ts = transitions(host);
        if (!ts.isEmpty()) {
            out.add(ts.getFirst().from());
        }
        ts.forEach(t -> out.add(t.to()));
        return out;
    }

    @Test
    void everyHostGoesTheWholeWayAndTheStoreKeepsTheEnd() throws Exception {
        FakeFleet f = new FakeFleet(5);
        RolloutRecord done = deploy(f, BuiltinPlans.ROLLING, "v1");
        assertEquals(RolloutStatus.SUCCEEDED, done.status());
        for (String h : f.hosts.keySet()) {
            assertEquals(List.of(HostState.PENDING, HostState.COPYING, HostState.COPIED, HostState.SWITCHING, HostState.CHECKING,
                    HostState.CONFIRMED), path(h), h);
            assertEquals(1, f.host(h).current);
            assertEquals(1000, done.host(h).orElseThrow().bytesSent());
        }
        assertEquals(done, store.load(done.id()).orElseThrow());
        assertTrue(events.getFirst() instanceof RolloutEvent.Started);
        assertTrue(events.getLast() instanceof RolloutEvent.Finished fin && fin.status() == RolloutStatus.SUCCEEDED);
    }

    @Test
    void everyCopyEndsBeforeTheFirstSwitch() throws Exception {
        FakeFleet f = new FakeFleet(8);
        deploy(f, BuiltinPlans.CANARY, "v1");
        int lastCopied = -1;
        int firstSwitch = Integer.MAX_VALUE;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof RolloutEvent.Transition t) {
                if (t.to() == HostState.COPIED) {
                    lastCopied = i;
                }
                if (t.to() == HostState.SWITCHING) {
                    firstSwitch = Math.min(firstSwitch, i);
                }
            }
        }
        assertTrue(lastCopied < firstSwitch, "copies " + lastCopied + " before switches " + firstSwitch);
    }

    @Test
    void aCopyFailureSwitchesNothing() throws Exception {
        FakeFleet f = new FakeFleet(4);
        f.host("web-3").copyFails = true;
        RolloutRecord done = deploy(f, BuiltinPlans.ALL_AT_ONCE, "v1");
        assertEquals(RolloutStatus.FAILED, done.status());
        assertTrue(done.reason().contains("copying failed on 1 host(s) (web-3); nothing was switched"), done.reason());
        assertEquals(0, f.totalSwitches());
        assertEquals(HostState.FAILED, done.host("web-3").orElseThrow().state());
        assertEquals(HostState.COPIED, done.host("web-1").orElseThrow().state());
    }

    @Test
    void aFailingCanaryHaltsTheRolloutAndNoOtherHostIsTouched() throws Exception {
        FakeFleet f = new FakeFleet(10, "web-7");
        f.preinstall("v1");
        f.host("web-7").broken.add(FakeFleet.system("v2", "web-7"));
        RolloutRecord done = deploy(f, BuiltinPlans.CANARY, "v2");
        assertEquals(RolloutStatus.HALTED, done.status());
        assertTrue(done.reason().startsWith("1 failure(s)"), done.reason());
        assertEquals(List.of(HostState.PENDING, HostState.COPYING, HostState.COPIED, HostState.SWITCHING, HostState.FAILED,
                HostState.ROLLING_BACK, HostState.ROLLED_BACK), path("web-7"));
        assertEquals(1, f.host("web-7").current);
        for (String h : f.hosts.keySet()) {
            assertEquals(1, f.host(h).current, h);
            if (!h.equals("web-7")) {
                assertEquals(0, f.host(h).switches, h + " was switched");
                assertEquals(HostState.COPIED, done.host(h).orElseThrow().state());
            }
        }
    }

    @Test
    void oneFailureWithinTheBudgetContinuesTwoHaltAndRollBackTheRollout() throws Exception {
        Plan plan = PlanLoader.parse("p.yaml", "failureBudget: 10%\nrollback: rollout\nstages: [{name: waves, batch: 2}]\n");
        FakeFleet one = new FakeFleet(10);
        one.preinstall("v1");
        one.host("web-3").broken.add(FakeFleet.system("v2", "web-3"));
        RolloutRecord first = deploy(one, plan, "v2");
        assertEquals(RolloutStatus.ROLLED_BACK, first.status());
        assertEquals(9, first.switched());
        assertEquals(1, one.host("web-3").current);
        assertEquals(2, one.host("web-10").current);

        FakeFleet two = new FakeFleet(10);
        two.preinstall("v1");
        two.host("web-3").broken.add(FakeFleet.system("v2", "web-3"));
        two.host("web-4").broken.add(FakeFleet.system("v2", "web-4"));
        RolloutRecord second = deploy(two, plan, "v2");
        assertEquals(RolloutStatus.HALTED, second.status());
        assertTrue(second.reason().startsWith("2 failure(s), over the rollout's budget of 1 (10% of 10)"), second.reason());
        for (FakeFleet.FakeHost h : two.hosts.values()) {
            assertEquals(1, h.current, h.name + " is back where it was");
        }
        assertEquals(HostState.ROLLED_BACK, second.host("web-1").orElseThrow().state());
        assertEquals(false, second.host("web-1").orElseThrow().failed());
        assertEquals(0, two.host("web-5").switches);
    }

    @Test
    void theStagePolicyRollsBackOnlyTheFailingStage() throws Exception {
        Plan plan = PlanLoader.parse("p.yaml", """
                rollback: stage
                stages:
                  - {name: first, count: 2}
                  - {name: second, count: 3, batch: 1}
                  - {name: rest}
                """);
        FakeFleet f = new FakeFleet(6);
        f.preinstall("v1");
        f.host("web-5").broken.add(FakeFleet.system("v2", "web-5"));
        RolloutRecord done = deploy(f, plan, "v2");
        assertEquals(RolloutStatus.HALTED, done.status());
        assertEquals(List.of(2, 2, 1, 1, 1, 1), f.hosts.values().stream().map(h -> h.current).toList());
        assertEquals(HostState.CONFIRMED, done.host("web-1").orElseThrow().state());
        assertEquals(HostState.ROLLED_BACK, done.host("web-3").orElseThrow().state());
        assertEquals(0, f.host("web-6").switches, "web-6 is in the stage after the failure");
    }

    @Test
    void maxUnavailableBoundsHostsSwitchingAtOnce() throws Exception {
        Plan plan = PlanLoader.parse("p.yaml", "maxUnavailable: 2\nstages: [{name: all}]\n");
        FakeFleet f = new FakeFleet(8);
        f.switchTime = Duration.ofMillis(40);
        RolloutRecord done = engine(f, Approvals.ALL, 8).run(plan(f, plan, "v1"));
        assertEquals(RolloutStatus.SUCCEEDED, done.status());
        assertEquals(2, f.maxSwitchingAtOnce.get());
    }

    @Test
    void anUnansweredApprovalStopsResumablyAndAnApprovalIsNotAskedTwice() throws Exception {
        Plan plan = PlanLoader.parse("p.yaml", "stages: [{name: one, count: 1}, {name: two, approval: true}]\n");
        FakeFleet f = new FakeFleet(3);
        RolloutRecord waiting = engine(f, Approvals.NONE, 4).run(plan(f, plan, "v1"));
        assertEquals(RolloutStatus.AWAITING_APPROVAL, waiting.status());
        assertEquals(1, f.totalSwitches());
        List<String> asked = Collections.synchronizedList(new ArrayList<>());
        RolloutRecord done = engine(f, r -> {
            asked.add(r.stage() + " " + r.hosts());
            return Approvals.Decision.APPROVED;
        }, 4).run(store.load(waiting.id()).orElseThrow());
        assertEquals(RolloutStatus.SUCCEEDED, done.status());
        assertEquals(List.of("two [web-2, web-3]"), asked);
        assertEquals(3, f.totalSwitches());

        FakeFleet g = new FakeFleet(3);
        RolloutRecord refused = engine(g, r -> Approvals.Decision.REJECTED, 4).run(plan(g, plan, "v1"));
        assertEquals(RolloutStatus.HALTED, refused.status());
        assertEquals("stage 'two' was not approved", refused.reason());
    }

    @Test
    void aPauseWaitsItsDuration() throws Exception {
        Plan plan = PlanLoader.parse("p.yaml", "stages: [{name: one, count: 1, pause: 400ms}, {name: two}]\n");
        FakeFleet f = new FakeFleet(2);
        long t0 = System.nanoTime();
        assertEquals(RolloutStatus.SUCCEEDED, deploy(f, plan, "v1").status());
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(400).toNanos());
        assertTrue(events.stream().anyMatch(e -> e instanceof RolloutEvent.Waiting w && w.reason().equals("pause")));
    }

    @Test
    void aHostThatTurnsSickDuringTheHealthGateIsRolledBack() throws Exception {
        Plan plan = PlanLoader.parse("p.yaml", "stages: [{name: one, count: 2, healthGate: 300ms}, {name: two}]\n");
        FakeFleet f = new FakeFleet(4);
        f.preinstall("v1");
        f.host("web-2").sickLater = true;
        RolloutRecord done = deploy(f, plan, "v2");
        assertEquals(RolloutStatus.HALTED, done.status());
        assertEquals(List.of(HostState.PENDING, HostState.COPYING, HostState.COPIED, HostState.SWITCHING, HostState.CHECKING,
                HostState.FAILED, HostState.ROLLING_BACK, HostState.ROLLED_BACK), path("web-2"));
        assertEquals(1, f.host("web-2").current);
        assertEquals(2, f.host("web-1").current, "failed-hosts policy keeps the healthy canary");
        assertEquals(0, f.host("web-3").switches);
    }

    @Test
    void anInterruptedRolloutResumesWithoutSwitchingAnyHostTwice() throws Exception {
        Plan plan = PlanLoader.parse("p.yaml", "stages: [{name: all, batch: 2}]\n");
        FakeFleet f = new FakeFleet(8);
        f.switchTime = Duration.ofMillis(30);
        RolloutRecord r = plan(f, plan, "v1");
        Thread runner = Thread.currentThread();
        int[] seen = {0};
        RolloutEngine stopping = new RolloutEngine(f, store, Approvals.ALL, e -> {
            if (e instanceof RolloutEvent.Transition t && t.to() == HostState.CONFIRMED && ++seen[0] == 3) {
                runner.interrupt();
            }
        }, 4);
        assertThrows(InterruptedException.class, () -> stopping.run(r));
        Thread.interrupted();
        Thread.sleep(100); // let the switch that was in flight land on its host, as it would after a kill
        int before = f.totalSwitches();
        assertTrue(before >= 3 && before < 8, "interrupted mid-stage, after " + before + " switches");

        RolloutRecord stored = store.load(r.id()).orElseThrow();
        assertEquals(RolloutStatus.RUNNING, stored.status());
        RolloutRecord done = engine(f, Approvals.ALL, 4).run(stored);
        assertEquals(RolloutStatus.SUCCEEDED, done.status());
        for (FakeFleet.FakeHost h : f.hosts.values()) {
            assertEquals(1, h.switches, h.name + " switched once");
            assertEquals(1, h.current);
        }
        assertThrows(IllegalStateException.class, () -> engine(f, Approvals.ALL, 4).run(done), "a finished rollout never changes");
    }

    @Test
    void aRollbackRolloutReturnsEveryHostToItsPreviousGeneration() throws Exception {
        FakeFleet f = new FakeFleet(4);
        f.preinstall("v1");
        f.preinstall("v2");
        RolloutRecord r = RolloutEngine.plan("rb-1", Goal.ROLLBACK, "rollback", BuiltinPlans.ROLLING, f.targets(), Map.of(),
                Map.of("web-4", 2), Instant.now());
        RolloutRecord done = engine(f, Approvals.ALL, 4).run(r);
        assertEquals(RolloutStatus.SUCCEEDED, done.status());
        assertEquals(List.of(1, 1, 1, 2), f.hosts.values().stream().map(h -> h.current).toList());
        assertEquals(List.of(HostState.PENDING, HostState.SWITCHING, HostState.CHECKING, HostState.CONFIRMED), path("web-1"));
        assertEquals(0, f.totalSwitches());
    }

    @Test
    void aRunningRolloutCannotBeRunTwice() throws Exception {
        FakeFleet f = new FakeFleet(1);
        RolloutRecord r = plan(f, BuiltinPlans.ALL_AT_ONCE, "v1");
        try (RolloutStore.Claim c = store.claim(r.id())) {
            assertThrows(RolloutStore.RolloutBusyException.class, () -> engine(f, Approvals.ALL, 1).run(r));
        }
    }

    @Test
    void aHaltRequestedFromOutsideStopsNewSwitchesAndLetsTheRestFinish() throws Exception {
        FakeFleet f = new FakeFleet(6);
        f.preinstall("v1");
        Plan plan = PlanLoader.parse("p.yaml", "stages: [{name: first, count: 2}, {name: rest}]\n");
        java.util.concurrent.atomic.AtomicReference<String> request = new java.util.concurrent.atomic.AtomicReference<>();
        RolloutListener stopAfterFirstStage = e -> {
            if (e instanceof RolloutEvent.StageFinished s && s.stage().equals("first")) {
                request.set("aborted by test");
            }
        };
        RolloutRecord done = new RolloutEngine(f, store, Approvals.ALL, stopAfterFirstStage.and(events::add), 4)
                .haltWhen(request::get).run(plan(f, plan, "v2"));
        assertEquals(RolloutStatus.HALTED, done.status());
        assertEquals("aborted by test", done.reason());
        assertEquals(2, done.count(HostState.CONFIRMED), "the first stage finished");
        assertEquals(2, f.totalSwitches(), "no host of the second stage switched");
        assertEquals(4, done.count(HostState.COPIED));
    }
}
