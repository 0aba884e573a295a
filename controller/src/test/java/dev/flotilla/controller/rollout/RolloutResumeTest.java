package dev.flotilla.controller.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.controller.Tokens;
import javax.sql.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replica that dies mid-rollout leaves it RUNNING, its lease running out, with a host caught mid-step.
 * That state is made here from a real rollout stopped at an approval gate (its second host copied, not
 * switched), then marked as a dead replica's, with that host SWITCHING. The running controller must take
 * it over, reconcile the host with its agent, and finish, with exactly one switch per host.
 */
@QuarkusTest
class RolloutResumeTest {

    @Inject
    DataSource db;

    @Test
    void aRolloutLeftInFlightByADeadReplicaIsResumedWithoutASecondSwitch() throws Exception {
        Path dir = Files.createTempDirectory("controller-resume");
        try (AgentFleet fleet = new AgentFleet(dir, "rs", List.of("alpha", "beta"), Map.of())) {
            String alpha = fleet.name("alpha");
            String beta = fleet.name("beta");
            int alphaBefore = fleet.fleet.currentGeneration(alpha);
            int betaBefore = fleet.fleet.currentGeneration(beta);
            Path config = fleet.config(Tokens.unique("resume"), false);
            Map<String, Object> plan = Map.of("priorities", List.of(alpha),
                    "stages", List.of(Map.of("name", "first", "count", 1), Map.of("name", "second", "approval", true)));
            long id = ((Number) Tokens.as("operator").contentType(ContentType.JSON)
                    .body(Map.of("selector", fleet.selector(), "configPath", config.toString(), "plan", plan))
                    .post("/api/v1/rollouts").then().statusCode(201).extract().path("id")).longValue();
            AgentFleet.awaitState(id, List.of("AWAITING_APPROVAL"), Duration.ofSeconds(90));

            // What a replica that died while switching beta leaves behind.
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                    update rollout set state = 'RUNNING', owner = 'dead-replica', lease_until = now() - interval '1 minute',
                           engine_status = 'RUNNING', reason = null, approved_stages = '["second"]'
                    where id = ?""");
                 PreparedStatement host = c.prepareStatement("update rollout_host set state = 'SWITCHING' where rollout_id = ? and host_name = ?")) {
                ps.setLong(1, id);
                assertEquals(1, ps.executeUpdate());
                host.setLong(1, id);
                host.setString(2, beta);
                assertEquals(1, host.executeUpdate());
            }

            JsonPath r = AgentFleet.awaitEnd(id, Duration.ofSeconds(90));
            assertEquals("SUCCEEDED", r.getString("state"), r::prettify);
            assertEquals(List.of("CONFIRMED", "CONFIRMED"), r.getList("hosts.state"), r::prettify);
            assertEquals(alphaBefore + 1, fleet.fleet.currentGeneration(alpha), "alpha, done before, was not switched again");
            assertEquals(betaBefore + 1, fleet.fleet.currentGeneration(beta), "beta switched once");

            List<Map<String, Object>> events = Tokens.as("viewer").get("/api/v1/rollouts/" + id + "/events")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            assertTrue(events.stream().anyMatch(e -> String.valueOf(e.get("detail")).contains("its driver dead-replica stopped")), events::toString);
            assertTrue(events.stream().anyMatch(e -> String.valueOf(e.get("detail")).startsWith("resumed")), events::toString);
            for (int i = 0; i < events.size(); i++) {
                assertEquals(i + 1, ((Number) events.get(i).get("seq")).intValue(), "events are numbered without gaps");
            }
        }
    }
}
