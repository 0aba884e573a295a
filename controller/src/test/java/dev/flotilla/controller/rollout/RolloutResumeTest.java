package dev.flotilla.controller.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.controller.Tokens;
import dev.flotilla.controller.rollout.domain.HostState;
import dev.flotilla.controller.rollout.domain.RolloutState;
import dev.flotilla.controller.rollout.persistence.Rollout;
import dev.flotilla.controller.rollout.persistence.RolloutHost;
import dev.flotilla.controller.rollout.persistence.RolloutHostRepository;
import dev.flotilla.controller.rollout.persistence.RolloutRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A controller that stops mid-rollout leaves the rollout RUNNING with hosts in progress. Such rows are
 * written here directly (the state a dead controller leaves behind), then the running controller must
 * take each over and drive it to the end, through the same path it takes when it restarts.
 */
@QuarkusTest
class RolloutResumeTest {

    @Inject
    RolloutRepository rollouts;

    @Inject
    RolloutHostRepository rolloutHosts;

    @Test
    void rolloutsLeftInFlightAreResumedAndNoHostStaysInAnUnknownState() throws Exception {
        Path dir = Files.createTempDirectory("controller-resume");
        try (AgentFleet fleet = new AgentFleet(dir, "rs", List.of("alpha", "beta"), Map.of())) {
            String alpha = fleet.name("alpha");
            String beta = fleet.name("beta");
            int alphaBefore = fleet.fleet.currentGeneration(alpha);
            int betaBefore = fleet.fleet.currentGeneration(beta);
            Path config = fleet.config(Tokens.unique("resume"), false);

            // Another replica died while switching alpha: its lease ran out a minute ago.
            long orphaned = inFlight(config, "dead-replica", Instant.now().minusSeconds(60), Map.of(alpha, HostState.SWITCHING));
            // This replica's previous run stopped with beta connecting; its lease has not run out yet.
            long own = inFlight(config, "controller-test", Instant.now().plusSeconds(600), Map.of(beta, HostState.CONNECTING));

            JsonPath a = AgentFleet.awaitEnd(orphaned, Duration.ofSeconds(90));
            JsonPath b = AgentFleet.awaitEnd(own, Duration.ofSeconds(90));
            assertEquals("SUCCEEDED", a.getString("state"), a::prettify);
            assertEquals("SUCCEEDED", b.getString("state"), b::prettify);
            assertEquals("SWITCHED", a.getString("hosts[0].state"));
            assertEquals("SWITCHED", b.getString("hosts[0].state"));
            assertEquals(alphaBefore + 1, fleet.fleet.currentGeneration(alpha));
            assertEquals(betaBefore + 1, fleet.fleet.currentGeneration(beta));

            List<Map<String, Object>> events = Tokens.as("viewer").get("/api/v1/rollouts/" + orphaned + "/events")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            assertTrue(events.stream().anyMatch(e -> String.valueOf(e.get("detail")).contains("its driver dead-replica stopped")), events::toString);
            assertTrue(events.stream().anyMatch(e -> alpha.equals(e.get("host")) && "PENDING".equals(e.get("state"))
                    && String.valueOf(e.get("detail")).contains("it was SWITCHING")), events::toString);
        }
    }

    /** Stores a RUNNING rollout of one host, as a controller that stopped would have left it. */
    private long inFlight(Path config, String owner, Instant leaseUntil, Map<String, HostState> hostStates) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Rollout r = new Rollout();
            r.state = RolloutState.RUNNING;
            r.configPath = config.toString();
            r.parallelism = 2;
            r.mode = "switch";
            r.createdBy = "resume-test";
            r.createdAt = Instant.now().minusSeconds(120);
            r.startedAt = r.createdAt;
            r.owner = owner;
            r.leaseUntil = leaseUntil;
            rollouts.persist(r);
            int position = 0;
            for (var e : hostStates.entrySet()) {
                Map<String, Object> host = Tokens.as("viewer").get("/api/v1/hosts/" + e.getKey()).then().statusCode(200)
                        .extract().jsonPath().getMap("$");
                RolloutHost h = new RolloutHost();
                h.rolloutId = r.id;
                h.position = position++;
                h.hostName = e.getKey();
                h.state = e.getValue();
                h.host = Map.of("name", host.get("name"), "address", host.get("address"), "port", host.get("port"),
                        "user", host.get("user"), "hostKey", host.get("hostKey"), "tags", host.get("tags"),
                        "groups", host.get("groups"), "vars", host.get("vars"));
                h.updatedAt = Instant.now();
                rolloutHosts.persist(h);
            }
            return r.id;
        });
    }
}
