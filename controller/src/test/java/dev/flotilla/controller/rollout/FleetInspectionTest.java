package dev.flotilla.controller.rollout;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.controller.Tokens;
import io.restassured.RestAssured;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What the controller can tell about hosts after rollouts: live generations and drift from the agents, closure diffs, metrics. */
@QuarkusTest
class FleetInspectionTest {

    @jakarta.inject.Inject
    dev.flotilla.controller.host.service.HostInspector inspector;

    private static AgentFleet fleet;
    /** The toplevels two rollouts left host "one" on, oldest first. */
    private static List<String> toplevels;
    private static long lastRollout;

    /** Two rollouts of different configurations, done once for every test (REST Assured knows the port only in tests). */
    private static synchronized AgentFleet fleet() throws Exception {
        if (fleet == null) {
            fleet = new AgentFleet(Files.createTempDirectory("controller-inspect"), "in", List.of("one", "two"), Map.of());
            String first = deploy(fleet.config(Tokens.unique("first"), false));
            String second = deploy(fleet.config(Tokens.unique("second"), false));
            toplevels = List.of(first, second);
        }
        return fleet;
    }

    /** Deploys {@code config} to the fleet; returns host one's new toplevel. */
    private static String deploy(Path config) throws Exception {
        long id = ((Number) Tokens.as("operator").contentType(ContentType.JSON)
                .body(Map.of("selector", fleet.selector(), "configPath", config.toString(), "parallel", 2))
                .post("/api/v1/rollouts").then().statusCode(201).extract().path("id")).longValue();
        JsonPath done = AgentFleet.awaitEnd(id, Duration.ofSeconds(90));
        assertEquals("SUCCEEDED", done.getString("state"), done::prettify);
        lastRollout = id;
        return done.getString("hosts.find { it.name == '" + fleet.name("one") + "' }.toplevel");
    }

    @AfterAll
    static void stopAgents() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void theAgentListsItsGenerationsAndDriftIsReportedPerHostAndFleetWide() throws Exception {
        AgentFleet fleet = fleet();
        String one = fleet.name("one");
        String two = fleet.name("two");
        int current = fleet.fleet.currentGeneration(one);

        JsonPath live = Tokens.as("viewer").get("/api/v1/hosts/" + one + "/live").then().statusCode(200).extract().jsonPath();
        assertEquals(current, live.getInt("currentGeneration"), live::prettify);
        assertEquals(toplevels.get(1), live.getString("activeSystem"), live::prettify);
        assertTrue(live.getList("generations.toplevel").containsAll(toplevels), live::prettify);
        assertEquals(List.of(true), live.getList("generations.findAll { it.current }.current"), live::prettify);

        Tokens.as("viewer").get("/api/v1/hosts/" + one + "/drift").then().statusCode(200)
                .body("drifted", equalTo(false), "systemDrift", equalTo(false), "expectedToplevel", equalTo(toplevels.get(1)));
        assertTrue(inspector.keptConnections().contains(one), "the connection is kept for the next question");
        inspector.closeAll();
        Tokens.as("viewer").get("/api/v1/hosts/" + one + "/live").then().statusCode(200).body("currentGeneration", equalTo(current));

        // Someone edits a managed file by hand: the symlink into the store becomes a plain file.
        Path motd = fleet.fleet.agent(two).root().resolve("etc/motd");
        Files.delete(motd);
        Files.writeString(motd, "edited by hand\n");
        JsonPath drift = Tokens.as("viewer").get("/api/v1/hosts/" + two + "/drift").then().statusCode(200).extract().jsonPath();
        assertTrue(drift.getBoolean("drifted"), drift::prettify);
        assertFalse(drift.getBoolean("systemDrift"), drift::prettify);
        assertEquals(List.of("motd"), drift.getList("files.name"), drift::prettify);
        assertEquals("REPLACED", drift.getString("files[0].kind"), drift::prettify);

        JsonPath report = Tokens.as("viewer").queryParam("selector", fleet.selector()).get("/api/v1/drift").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1, report.getInt("drifted"), report::prettify);
        assertEquals(0, report.getInt("unreachable"), report::prettify);
        assertEquals(List.of(two), report.getList("items.findAll { it.drifted }.host"), report::prettify);

        Tokens.as("viewer").get("/api/v1/hosts/" + Tokens.unique("nobody") + "/live").then().statusCode(404);
        Tokens.as("viewer").get("/api/v1/drift").then().statusCode(400).body("field", equalTo("selector"));
        Tokens.as("viewer").queryParam("selector", Tokens.unique("typo")).get("/api/v1/drift").then().statusCode(400)
                .body("field", equalTo("selector"));
        RestAssured.given().get("/api/v1/hosts/" + one + "/live").then().statusCode(401);
    }

    @Test
    void aClosureDiffNamesWhatChangedBetweenTwoSystems() throws Exception {
        fleet();
        JsonPath diff = Tokens.as("viewer").queryParam("from", toplevels.get(0)).queryParam("to", toplevels.get(1))
                .get("/api/v1/closures/diff").then().statusCode(200).extract().jsonPath();
        assertEquals(toplevels.get(0), diff.getString("from"));
        assertTrue(diff.getInt("toCount") > 0, diff::prettify);
        List<String> changed = diff.getList("changed.name");
        // The system's own path is one name with another hash: its motd differs.
        String system = toplevels.get(1).substring(toplevels.get(1).lastIndexOf('/') + 34);
        assertTrue(changed.contains(system), diff::prettify);
        assertEquals(toplevels.get(1), diff.getString("changed.find { it.name == '" + system + "' }.to"), diff::prettify);

        JsonPath same = Tokens.as("viewer").queryParam("from", toplevels.get(1)).queryParam("to", toplevels.get(1))
                .get("/api/v1/closures/diff").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(), same.getList("changed"));
        assertEquals(List.of(), same.getList("added"));

        Tokens.as("viewer").queryParam("from", "not-a-path").queryParam("to", toplevels.get(1)).get("/api/v1/closures/diff")
                .then().statusCode(400).body("field", equalTo("from"));
        Tokens.as("viewer").queryParam("from", toplevels.get(0)).get("/api/v1/closures/diff")
                .then().statusCode(400).body("field", equalTo("to"));
        String missing = toplevels.get(1).replaceFirst("/([0-9a-z]{32})-", "/00000000000000000000000000000000-");
        assertNotEquals(toplevels.get(1), missing);
        Tokens.as("viewer").queryParam("from", toplevels.get(0)).queryParam("to", missing).get("/api/v1/closures/diff")
                .then().statusCode(404);
    }

    @Test
    void metricsCountRolloutsByOutcomeHostStatesBytesAndStageDurations() throws Exception {
        fleet();
        String text = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(value(text, "flotilla_rollouts_total\\{outcome=\"SUCCEEDED\"[^}]*\\}") >= 2, text);
        assertTrue(value(text, "flotilla_rollout_hosts_total\\{state=\"CONFIRMED\"[^}]*\\}") >= 4, text);
        assertTrue(value(text, "flotilla_bytes_copied_total(?:\\{[^}]*\\})?") > 0, text);
        assertTrue(value(text, "flotilla_rollout_stage_duration_seconds_count\\{[^}]*stage=\"all\"[^}]*\\}") >= 2, text);
        assertTrue(value(text, "flotilla_rollout_host_switch_duration_seconds_count\\{state=\"CONFIRMED\"[^}]*\\}") >= 4, text);
        // The gauge covers unfinished rollouts only: these ended, so it is there and counts no host of theirs.
        assertTrue(Pattern.compile("(?m)^flotilla_rollout_hosts_current\\{state=\"PENDING\"").matcher(text).find(), text);
        Tokens.as("viewer").get("/api/v1/rollouts").then().statusCode(200).body("items.state", hasItem("SUCCEEDED"));
    }

    @Test
    void theStatusViewCountsHostStatesAndRefusesUnknownRolloutsAndCallers() throws Exception {
        fleet();
        for (int i = 0; i < 2; i++) {   // the second answer comes from memory
            Tokens.as("viewer").get("/api/v1/rollouts/" + lastRollout + "/status").then().statusCode(200)
                    .body("id", equalTo((int) lastRollout), "state", equalTo("SUCCEEDED"), "hosts", equalTo(2), "done", equalTo(2),
                            "hostStates.CONFIRMED", equalTo(2));
        }
        Tokens.as("viewer").get("/api/v1/rollouts/999999999/status").then().statusCode(404).body("code", equalTo("not_found"));
        RestAssured.given().get("/api/v1/rollouts/" + lastRollout + "/status").then().statusCode(401);
    }

    /** The value of the first sample whose name and labels match {@code series} (a regex), or -1. */
    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
