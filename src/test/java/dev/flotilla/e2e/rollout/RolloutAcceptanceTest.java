package dev.flotilla.e2e.rollout;

import static dev.flotilla.e2e.rollout.TenHosts.CANARY;
import static dev.flotilla.e2e.rollout.TenHosts.HOSTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.e2e.CliRun;
import dev.flotilla.cli.ExitCodes;
import dev.flotilla.deploy.RolloutReport;
import dev.flotilla.deploy.plan.BuiltinPlans;
import dev.flotilla.deploy.rollout.Approvals;
import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.deploy.rollout.HostState;
import dev.flotilla.deploy.rollout.RolloutEvent;
import dev.flotilla.deploy.rollout.RolloutRecord;
import dev.flotilla.deploy.rollout.RolloutStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance criteria of staged rollouts, against ten real agent processes over SSH. One fleet serves
 * every test; each test deploys versions of its own and compares generations with what they were when it
 * began, so tests do not depend on each other or on their order.
 */
class RolloutAcceptanceTest {

    @TempDir
    static Path dir;
    static TenHosts f;

    @BeforeAll
    static void startFleet() throws Exception {
        f = new TenHosts(dir);
    }

    @AfterAll
    static void stopFleet() {
        if (f != null) {
            f.close();
        }
    }

    /** Each of {@code hosts} is on a newer generation than {@code before}, running {@code version}. */
    private static void assertSwitched(Map<String, Integer> before, String version, List<String> hosts) throws Exception {
        Map<String, Integer> now = f.generations();
        for (String h : hosts) {
            assertTrue(now.get(h) > before.get(h), h + " moved on from generation " + before.get(h) + ", now " + now.get(h));
            assertEquals(version, f.appVersion(h), h + " runs " + version);
        }
    }

    /** Each of {@code hosts} is on the generation it had in {@code before}. */
    private static void assertUnchanged(Map<String, Integer> before, List<String> hosts) throws Exception {
        Map<String, Integer> now = f.generations();
        for (String h : hosts) {
            assertEquals(before.get(h), now.get(h), h + "'s generation");
        }
    }

    private static List<String> except(String... hosts) {
        return HOSTS.stream().filter(h -> !List.of(hosts).contains(h)).toList();
    }

    @Test
    void aCanaryThatPassesLeadsToEveryHostSwitched() throws Exception {
        Map<String, Integer> before = f.generations();
        String v = f.version();
        List<RolloutEvent> events = Collections.synchronizedList(new ArrayList<>());
        RolloutReport r = f.deploy(v, BuiltinPlans.CANARY, Approvals.ALL, events::add);
        assertEquals(RolloutReport.Outcome.SUCCEEDED, r.outcome(), r.reason());
        assertSwitched(before, v, HOSTS);
        for (String h : HOSTS) {
            assertEquals(1, f.checkRuns(h, v), h + " switched once");
        }
        List<String> stages = events.stream().filter(e -> e instanceof RolloutEvent.StageStarted).map(e -> ((RolloutEvent.StageStarted) e).stage()).toList();
        assertEquals(List.of("copy", "canary", "ten-percent", "rest"), stages);
        RolloutEvent.StageStarted canary = (RolloutEvent.StageStarted) events.stream()
                .filter(e -> e instanceof RolloutEvent.StageStarted s && s.stage().equals("canary")).findFirst().orElseThrow();
        assertEquals(List.of(CANARY), canary.hosts());
    }

    @Test
    void aCanaryThatFailsItsChecksHaltsTheRolloutAndNoOtherHostIsTouched() throws Exception {
        Map<String, Integer> before = f.generations();
        Map<String, String> versionsBefore = new java.util.HashMap<>();
        for (String h : HOSTS) {
            versionsBefore.put(h, f.appVersion(h));
        }
        String v = f.version(CANARY);
        RolloutReport r = f.deploy(v, BuiltinPlans.CANARY, Approvals.ALL, e -> {});
        assertEquals(RolloutReport.Outcome.HALTED, r.outcome());
        assertEquals(HostRecord.Result.ROLLED_BACK, r.host(CANARY).result());
        assertTrue(r.host(CANARY).reason().contains("app is broken"), r.host(CANARY).reason());
        assertEquals(before, f.generations(), "the canary is back and no other host changed generation");
        for (String h : HOSTS) {
            assertEquals(versionsBefore.get(h), f.appVersion(h), h + "'s /etc is as before");
            if (!h.equals(CANARY)) {
                assertEquals(0, f.checkRuns(h, v), h + " was never switched");
                assertEquals(HostState.COPIED, r.host(h).state(), "copied ahead, never switched");
            }
        }
    }

    @Test
    void oneFailureWithinATenPercentBudgetContinuesAndTwoHaltAndRollBack() throws Exception {
        var plan = TenHosts.plan("failureBudget: 10%\nrollback: rollout\nstages: [{name: waves, batch: 2}]\n");
        Map<String, Integer> before = f.generations();
        String one = f.version("web-5");
        RolloutReport first = f.deploy(one, plan, Approvals.ALL, e -> {});
        assertEquals(RolloutReport.Outcome.ROLLED_BACK, first.outcome(), first.reason());
        assertEquals(9, first.count(HostRecord.Result.SWITCHED));
        assertEquals(HostRecord.Result.ROLLED_BACK, first.host("web-5").result());
        assertSwitched(before, one, except("web-5"));
        assertUnchanged(before, List.of("web-5"));

        Map<String, Integer> middle = f.generations();
        String two = f.version("web-3", "web-4");
        RolloutReport second = f.deploy(two, plan, Approvals.ALL, e -> {});
        assertEquals(RolloutReport.Outcome.HALTED, second.outcome());
        assertTrue(second.reason().startsWith("2 failure(s), over the rollout's budget of 1 (10% of 10)"), second.reason());
        assertEquals(middle, f.generations(), "policy 'rollout': the switched batch is rolled back too, later batches untouched");
        assertEquals(HostRecord.Result.ROLLED_BACK, second.host("web-1").result());
        assertEquals(HostRecord.Result.NOT_SWITCHED, second.host("web-10").result());
        assertEquals(0, f.checkRuns("web-10", two));
    }

    @Test
    void anApprovalGateWaitsUntilApproved() throws Exception {
        var plan = TenHosts.plan("stages: [{name: first, count: 2}, {name: second, approval: true}]\n");
        Map<String, Integer> before = f.generations();
        String v = f.version();
        CompletableFuture<Approvals.Decision> operator = new CompletableFuture<>();
        CountDownLatch asked = new CountDownLatch(1);
        Approvals approvals = request -> {
            asked.countDown();
            try {
                return operator.get();
            } catch (java.util.concurrent.ExecutionException e) {
                return Approvals.Decision.REJECTED;
            }
        };
        CompletableFuture<RolloutReport> running = CompletableFuture.supplyAsync(() -> {
            try {
                return f.deploy(v, plan, approvals, e -> {});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(asked.await(30, TimeUnit.SECONDS), "the gate asked for approval");
        Thread.sleep(1000);
        assertFalse(running.isDone(), "the rollout waits at the gate");
        assertSwitched(before, v, List.of("web-1", "web-2"));
        assertUnchanged(before, except("web-1", "web-2"));
        operator.complete(Approvals.Decision.APPROVED);
        RolloutReport r = running.get(60, TimeUnit.SECONDS);
        assertEquals(RolloutReport.Outcome.SUCCEEDED, r.outcome(), r.reason());
        assertSwitched(before, v, HOSTS);
    }

    @Test
    void aHealthGateRechecksTheStagesHostsWithoutSwitchingThemAgain() throws Exception {
        var plan = TenHosts.plan("stages: [{name: gated, count: 2, healthGate: 2s}, {name: rest}]\n");
        Map<String, Integer> before = f.generations();
        String v = f.version();
        RolloutReport r = f.deploy(v, plan, Approvals.ALL, e -> {});
        assertEquals(RolloutReport.Outcome.SUCCEEDED, r.outcome(), r.reason());
        assertSwitched(before, v, HOSTS);
        for (String h : HOSTS) {
            boolean gated = r.host(h).stage().equals("gated");
            int runs = f.checkRuns(h, v);
            assertTrue(gated ? runs >= 2 : runs == 1, h + (gated ? " was re-checked by the gate" : " was checked once") + ", runs: " + runs);
        }
    }

    @Test
    void aPauseWaitsItsDuration() throws Exception {
        var plan = TenHosts.plan("stages: [{name: first, count: 2, pause: 2s}, {name: rest}]\n");
        String v = f.version();
        List<RolloutEvent> events = Collections.synchronizedList(new ArrayList<>());
        RolloutReport r = f.deploy(v, plan, Approvals.ALL, events::add);
        assertEquals(RolloutReport.Outcome.SUCCEEDED, r.outcome(), r.reason());
        Instant firstDone = events.stream().filter(e -> e instanceof RolloutEvent.StageFinished s && s.stage().equals("first"))
                .map(RolloutEvent::time).findFirst().orElseThrow();
        Instant restSwitching = events.stream().filter(e -> e instanceof RolloutEvent.Transition t && t.to() == HostState.SWITCHING
                && r.host(t.host()).stage().equals("rest")).map(RolloutEvent::time).min(Instant::compareTo).orElseThrow();
        assertTrue(Duration.between(firstDone, restSwitching).compareTo(Duration.ofMillis(1900)) >= 0,
                "the rest started " + Duration.between(firstDone, restSwitching) + " after the first stage");
    }

    @Test
    void aKilledDeployResumesWithoutSwitchingAnyHostTwice() throws Exception {
        Map<String, Integer> before = f.generations();
        String v = f.version(List.of(), 0.3);
        Process cli = f.flotillaProcess("deploy", "-i", f.inventoryFile.toString(), "-c", f.config(v).toString(),
                "--plan", writePlan("one-by-one", "stages: [{name: all, batch: 1}]\n").toString(), "--confirm-timeout", "5", "--json");
        String id = null;
        int confirmed = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode e = new ObjectMapper().readTree(line);
                id = e.path("rollout").asText(id);
                if (e.path("event").asText().equals("host") && e.path("to").asText().equals("confirmed") && ++confirmed == 3) {
                    cli.destroyForcibly();
                    break;
                }
            }
        }
        assertTrue(cli.waitFor(30, TimeUnit.SECONDS));
        assertEquals(3, confirmed, "the CLI was killed mid-stage");
        RolloutRecord interrupted = f.store.load(id).orElseThrow();
        assertEquals(RolloutStatus.RUNNING, interrupted.status());
        assertTrue(f.flotilla("status").out().contains(id + "  deploy    interrupted"), f.flotilla("status").out());

        CliRun resumed = f.flotilla("deploy", "--resume", id, "--json");
        assertEquals(ExitCodes.OK, resumed.exit(), resumed.out() + resumed.err());
        assertTrue(resumed.out().lines().anyMatch(l -> l.contains("\"event\":\"rollout\"") && l.contains("\"resumed\":true")));
        assertSwitched(before, v, HOSTS);
        for (String h : HOSTS) {
            assertEquals(1, f.checkRuns(h, v), h + " was switched exactly once");
        }
        assertTrue(f.flotilla("status", id).out().contains("rollout " + id + ": deploy, succeeded"));
    }

    @Test
    void aFleetWideRollbackReturnsEveryHostToItsPriorGenerationAndForwardToARollout() throws Exception {
        String base = f.version();
        assertEquals(RolloutReport.Outcome.SUCCEEDED, f.deploy(base, BuiltinPlans.ALL_AT_ONCE, Approvals.ALL, e -> {}).outcome());
        Map<String, Integer> prior = f.generations();
        Map<String, String> priorVersions = new java.util.HashMap<>();
        for (String h : HOSTS) {
            priorVersions.put(h, f.appVersion(h));
        }
        String v = f.version();
        CliRun deployed = f.flotilla("deploy", "-i", f.inventoryFile.toString(), "-c", f.config(v).toString(), "--plan", "rolling", "--json");
        assertEquals(ExitCodes.OK, deployed.exit(), deployed.out() + deployed.err());
        String deployId = new ObjectMapper().readTree(deployed.out().lines().reduce((a, b) -> b).orElseThrow()).path("rollout").asText();
        Map<String, Integer> after = f.generations();

        CliRun back = f.flotilla("rollback", "-i", f.inventoryFile.toString(), "--on", "*", "--plan", "rolling");
        assertEquals(ExitCodes.OK, back.exit(), back.out() + back.err());
        assertEquals(prior, f.generations(), "every host is back on the generation it ran before the deploy");
        for (String h : HOSTS) {
            assertEquals(priorVersions.get(h), f.appVersion(h), h + " runs what it ran before");
        }
        assertTrue(back.out().contains("10 switched, 0 unchanged, 0 rolled back, 0 failed, 0 not switched"), back.out());

        CliRun forward = f.flotilla("rollback", "-i", f.inventoryFile.toString(), "--on", "web-*", "--to-rollout", deployId);
        assertEquals(ExitCodes.OK, forward.exit(), forward.out() + forward.err());
        assertEquals(after, f.generations());
        assertEquals(v, f.appVersion("web-7"));

        CliRun gens = f.flotilla("generations", "-i", f.inventoryFile.toString(), "--on", "web-2");
        assertEquals(ExitCodes.OK, gens.exit(), gens.err());
        assertTrue(gens.out().contains(String.format("%4d", after.get("web-2"))) && gens.out().contains("(current)"), gens.out());
        CliRun status = f.flotilla("status", "-i", f.inventoryFile.toString());
        assertTrue(status.out().lines().anyMatch(l -> l.startsWith("web-10") && l.contains(" " + after.get("web-10") + "  ")), status.out());
    }

    private static Path writePlan(String name, String yaml) throws Exception {
        Path p = dir.resolve(name + ".yaml");
        java.nio.file.Files.writeString(p, yaml);
        return p;
    }
}
