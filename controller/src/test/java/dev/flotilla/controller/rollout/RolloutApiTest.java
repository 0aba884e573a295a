package dev.flotilla.controller.rollout;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.controller.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Rollouts through the API against real agent processes over SSH. */
@QuarkusTest
class RolloutApiTest {

    private static Path dir;
    private static AgentFleet fleet;

    /** Started by the first test that needs it: REST Assured knows the test port only once tests run. */
    private static synchronized AgentFleet fleet() throws Exception {
        if (fleet == null) {
            dir = Files.createTempDirectory("controller-rollouts");
            fleet = new AgentFleet(dir, "ro", List.of("alpha", "beta"), Map.of("beta", Map.of("broken", true)));
        }
        return fleet;
    }

    @AfterAll
    static void stopAgents() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static long create(Map<String, Object> body) {
        return ((Number) Tokens.as("operator").contentType(ContentType.JSON).body(body).post("/api/v1/rollouts")
                .then().statusCode(201).body("id", notNullValue(), "createdBy", notNullValue())
                .extract().path("id")).longValue();
    }

    @Test
    void aRolloutSwitchesEveryHostAndRecordsItsGenerations() throws Exception {
        AgentFleet fleet = fleet();
        Map<String, Integer> before = new LinkedHashMap<>();
        for (String h : fleet.names) {
            before.put(h, fleet.fleet.currentGeneration(h));
        }
        Path config = fleet.config(Tokens.unique("switch"), false);
        long id = create(Map.of("selector", fleet.selector(), "configPath", config.toString(), "parallel", 2));

        JsonPath r = AgentFleet.awaitEnd(id, Duration.ofSeconds(90));
        assertEquals("SUCCEEDED", r.getString("state"), r::prettify);
        assertEquals(fleet.names, r.getList("hosts.name"));
        for (String h : fleet.names) {
            Map<String, Object> host = r.getMap("hosts.find { it.name == '" + h + "' }");
            assertEquals("CONFIRMED", host.get("state"));
            assertEquals(true, host.get("changed"));
            int to = ((Number) host.get("toGeneration")).intValue();
            assertEquals(before.get(h) + 1, to);
            assertEquals(to, fleet.fleet.currentGeneration(h));
            assertTrue(((Number) host.get("pathsSent")).intValue() >= 1, "the system was copied to " + h);
            Tokens.as("viewer").get("/api/v1/hosts/" + h + "/generations").then().statusCode(200)
                    .body("items[0].generation", equalTo(to), "items[0].outcome", equalTo("SWITCHED"),
                            "items[0].rolloutId", equalTo((int) id));
        }

        List<Map<String, Object>> events = Tokens.as("viewer").get("/api/v1/rollouts/" + id + "/events").then().statusCode(200)
                .extract().jsonPath().getList("$");
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, ((Number) events.get(i).get("seq")).intValue(), "events are numbered without gaps");
        }
        for (String h : fleet.names) {
            List<Object> states = events.stream().filter(e -> h.equals(e.get("host"))).map(e -> e.get("state")).toList();
            assertEquals(List.of("COPYING", "COPIED", "SWITCHING", "CHECKING", "CONFIRMED"), states, states::toString);
        }
        assertEquals("SUCCEEDED", events.getLast().get("state"));
        Tokens.as("viewer").queryParam("state", "succeeded").get("/api/v1/rollouts").then().statusCode(200)
                .body("items.find { it.id == " + id + " }.hostStates.CONFIRMED", equalTo(2));
    }

    @Test
    void theEventStreamDeliversEveryEventInOrderLiveAndOnReplay() throws Exception {
        AgentFleet fleet = fleet();
        Path config = fleet.config(Tokens.unique("stream"), false);
        long id = create(Map.of("selector", fleet.selector(), "configPath", config.toString()));
        List<Sse.Event> live = Sse.read(id, Tokens.of("viewer"), null, Duration.ofSeconds(90));

        List<Map<String, Object>> stored = Tokens.as("viewer").get("/api/v1/rollouts/" + id + "/events").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertEquals(stored.size(), live.size(), () -> "live " + live);
        for (int i = 0; i < live.size(); i++) {
            Sse.Event e = live.get(i);
            assertEquals(Long.toString(i + 1), e.id());
            JsonPath data = JsonPath.from(e.data());
            assertEquals(i + 1, data.getLong("seq"));
            assertEquals(stored.get(i).get("state"), data.get("state"));
            assertEquals(((String) stored.get(i).get("kind")).toLowerCase(), e.name());
        }
        JsonPath last = JsonPath.from(live.getLast().data());
        assertEquals("SUCCEEDED", last.getString("state"));

        List<Sse.Event> resumed = Sse.read(id, Tokens.of("viewer"), "3", Duration.ofSeconds(10));
        assertEquals(live.subList(3, live.size()).stream().map(Sse.Event::id).toList(), resumed.stream().map(Sse.Event::id).toList());
    }

    @Test
    void aHostWhoseChecksFailRollsBackWithinTheBudget() throws Exception {
        AgentFleet fleet = fleet();
        String alpha = fleet.name("alpha");
        String beta = fleet.name("beta");
        int betaBefore = fleet.fleet.currentGeneration(beta);
        Path config = fleet.config(Tokens.unique("broken"), true);
        long id = create(Map.of("selector", fleet.selector(), "configPath", config.toString()));

        JsonPath r = AgentFleet.awaitEnd(id, Duration.ofSeconds(90));
        // all-at-once tolerates every failure: the rollout finishes, with the failing host rolled back.
        assertEquals("ROLLED_BACK", r.getString("state"), r::prettify);
        assertEquals("CONFIRMED", r.getString("hosts.find { it.name == '" + alpha + "' }.state"));
        assertEquals("ROLLED_BACK", r.getString("hosts.find { it.name == '" + beta + "' }.state"));
        assertTrue(r.getString("hosts.find { it.name == '" + beta + "' }.reason").contains("app"), r::prettify);
        assertEquals(betaBefore, fleet.fleet.currentGeneration(beta));
        assertTrue(r.getString("summary").contains("1 rolled back"), r::prettify);
    }

    @Test
    void anAbortedRolloutEndsWithEveryHostInAKnownState() throws Exception {
        AgentFleet fleet = fleet();
        Path config = fleet.config(Tokens.unique("abort"), false);
        long id = create(Map.of("selector", fleet.selector(), "configPath", config.toString(), "parallel", 1));
        Tokens.as("operator").post("/api/v1/rollouts/" + id + "/abort").then().statusCode(200).body("abortRequested", equalTo(true));

        JsonPath r = AgentFleet.awaitEnd(id, Duration.ofSeconds(90));
        assertEquals("ABORTED", r.getString("state"), r::prettify);
        List<String> states = r.getList("hosts.state");
        // Nothing in the middle of a step: untouched, copied, or settled.
        List<String> known = List.of("PENDING", "COPIED", "CONFIRMED", "ROLLED_BACK", "FAILED");
        assertTrue(known.containsAll(states), states::toString);
        Tokens.as("operator").post("/api/v1/rollouts/" + id + "/abort").then().statusCode(409).body("code", equalTo("finished"));
    }

    @Test
    void anApprovalGateWaitsForAnOperatorAndARollbackReturnsTheFleet() throws Exception {
        AgentFleet fleet = fleet();
        String alpha = fleet.name("alpha");
        String beta = fleet.name("beta");
        Map<String, Integer> before = new LinkedHashMap<>();
        for (String h : fleet.names) {
            before.put(h, fleet.fleet.currentGeneration(h));
        }
        Path config = fleet.config(Tokens.unique("gated"), false);
        Map<String, Object> plan = Map.of("name", "gated", "priorities", List.of(alpha),
                "stages", List.of(Map.of("name", "first", "count", 1), Map.of("name", "second", "approval", true)));
        long id = create(Map.of("selector", fleet.selector(), "configPath", config.toString(), "plan", plan));

        JsonPath waiting = AgentFleet.awaitState(id, List.of("AWAITING_APPROVAL"), Duration.ofSeconds(90));
        assertEquals("CONFIRMED", waiting.getString("hosts.find { it.name == '" + alpha + "' }.state"), waiting::prettify);
        assertEquals("COPIED", waiting.getString("hosts.find { it.name == '" + beta + "' }.state"), waiting::prettify);
        assertEquals(before.get(beta), fleet.fleet.currentGeneration(beta), "the gated stage switched nothing");
        Tokens.as("viewer").contentType(ContentType.JSON).body(Map.of("stage", "second")).post("/api/v1/rollouts/" + id + "/approve")
                .then().statusCode(403);
        Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("stage", "third")).post("/api/v1/rollouts/" + id + "/approve")
                .then().statusCode(400).body("field", equalTo("stage"));
        Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("stage", "second")).post("/api/v1/rollouts/" + id + "/approve")
                .then().statusCode(200).body("approvedStages", equalTo(List.of("second")));
        JsonPath done = AgentFleet.awaitEnd(id, Duration.ofSeconds(90));
        assertEquals("SUCCEEDED", done.getString("state"), done::prettify);
        for (String h : fleet.names) {
            assertEquals(before.get(h) + 1, fleet.fleet.currentGeneration(h), h);
        }
        Tokens.as("viewer").queryParam("action", "rollout.approve").get("/api/v1/audit").then().statusCode(200)
                .body("items.outcome", org.hamcrest.Matchers.hasItems("denied", "success"));

        Tokens.as("viewer").contentType(ContentType.JSON).body(Map.of("selector", fleet.selector())).post("/api/v1/rollbacks")
                .then().statusCode(403);
        Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("selector", fleet.selector(), "toRollout", 999999999L))
                .post("/api/v1/rollbacks").then().statusCode(400).body("field", equalTo("toRollout"));
        long rollback = ((Number) Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("selector", fleet.selector(), "plan", "rolling"))
                .post("/api/v1/rollbacks").then().statusCode(201).body("goal", equalTo("ROLLBACK")).extract().path("id")).longValue();
        JsonPath back = AgentFleet.awaitEnd(rollback, Duration.ofSeconds(90));
        assertEquals("SUCCEEDED", back.getString("state"), back::prettify);
        for (String h : fleet.names) {
            assertEquals(before.get(h), fleet.fleet.currentGeneration(h), h + " is back on its previous generation");
        }
    }

    @Test
    void invalidRequestsNameTheField() throws Exception {
        AgentFleet fleet = fleet();
        Path config = fleet.config(Tokens.unique("invalid"), false);
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {Map.of("selector", fleet.selector()), "configPath"});
        cases.add(new Object[] {Map.of("selector", fleet.selector(), "configPath", dir.resolve("missing.nix").toString()), "configPath"});
        cases.add(new Object[] {Map.of("configPath", config.toString()), "selector"});
        cases.add(new Object[] {Map.of("selector", Tokens.unique("no-such-host"), "configPath", config.toString()), "selector"});
        cases.add(new Object[] {Map.of("selector", "@" + Tokens.unique("no-such-tag"), "configPath", config.toString()), "selector"});
        cases.add(new Object[] {Map.of("selector", "web;rm", "configPath", config.toString()), "selector"});
        cases.add(new Object[] {Map.of("selector", fleet.selector(), "configPath", config.toString(), "parallel", 0), "parallel"});
        cases.add(new Object[] {Map.of("selector", fleet.selector(), "configPath", config.toString(), "mode", "yolo"), "mode"});
        cases.add(new Object[] {Map.of("inventory", "all:\n  hosts: [\n", "configPath", config.toString()), "inventory"});
        cases.add(new Object[] {Map.of("selector", fleet.selector(), "configPath", config.toString(), "plan", "yolo"), "plan"});
        cases.add(new Object[] {Map.of("selector", fleet.selector(), "configPath", config.toString(), "plan", 7), "plan"});
        cases.add(new Object[] {Map.of("selector", fleet.selector(), "configPath", config.toString(),
                "plan", Map.of("stages", List.of(Map.of("name", "a", "batch", "lots")))), "plan.stages[0].batch"});
        cases.add(new Object[] {Map.of("selector", fleet.selector(), "configPath", config.toString(),
                "plan", Map.of("stages", List.of(Map.of("name", "a", "bogus", 1)))), "plan.stages[0].bogus"});
        for (Object[] c : cases) {
            Tokens.as("operator").contentType(ContentType.JSON).body(c[0]).post("/api/v1/rollouts").then()
                    .statusCode(400).body("code", equalTo("invalid"), "field", equalTo(c[1]));
        }
        Tokens.as("viewer").get("/api/v1/rollouts/999999999").then().statusCode(404).body("code", equalTo("not_found"));
        Tokens.as("viewer").get("/api/v1/rollouts/999999999/stream").then().statusCode(404);
    }
}
