package dev.flotilla.controller.rollout;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.controller.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rollouts of a registered fleet's revisions: built from the pinned content, not from the folder as it is now. */
@QuarkusTest
class FleetRolloutTest {

    private static void writeFleet(Path dir, String label) throws Exception {
        Files.writeString(dir.resolve("fleet.nix"), """
                { ... }:
                {
                  defaults = { host, ... }: {
                    environment.etc."motd".text = "%s on ${host.name}\\n";
                    healthChecks.motd.command = "grep -q '%s' etc/motd";
                  };
                }
                """.formatted(label, label));
    }

    private static long create(Map<String, Object> body) {
        return ((Number) Tokens.as("operator").contentType(ContentType.JSON).body(body).post("/api/v1/rollouts")
                .then().statusCode(201).extract().path("id")).longValue();
    }

    @Test
    void aRolloutDeploysTheRevisionItNames() throws Exception {
        Path dir = Files.createTempDirectory("controller-fleet-rollouts");
        try (AgentFleet agents = new AgentFleet(dir, "fr", List.of("alpha", "beta"), Map.of())) {
            Path folder = Files.createDirectories(dir.resolve("fleet"));
            Files.copy(agents.inventory, folder.resolve("inventory.yaml"));
            writeFleet(folder, "first");
            String name = Tokens.unique("fleet");
            Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("name", name, "path", folder.toString()))
                    .post("/api/v1/fleets").then().statusCode(201);

            long first = create(Map.of("fleet", name, "selector", agents.selector()));
            JsonPath r = AgentFleet.awaitEnd(first, Duration.ofSeconds(90));
            assertEquals("SUCCEEDED", r.getString("state"), r::prettify);
            assertEquals(agents.names, r.getList("hosts.name"));
            assertEquals(List.of(true, true), r.getList("hosts.changed"));
            int revision = Tokens.as("viewer").get("/api/v1/fleets/" + name + "/revisions").then().statusCode(200)
                    .body("total", equalTo(1)).extract().path("items[0].id");
            assertTrue(r.getString("description").contains("revision " + revision), r.getString("description"));
            int generation = agents.fleet.currentGeneration(agents.names.get(0));

            writeFleet(folder, "second");
            // As on a replica that never saw this revision: its files come back from the database.
            String hash = Tokens.as("viewer").get("/api/v1/fleets/" + name + "/revisions/" + revision).then().extract().path("hash");
            Path unpacked = Path.of("target/controller-state/fleets/content", dev.flotilla.store.Hash.parse(hash).toHex());
            assertTrue(Files.isDirectory(unpacked), unpacked::toString);
            dev.flotilla.eval.fetch.Archives.deleteTree(unpacked);
            JsonPath again = AgentFleet.awaitEnd(create(Map.of("fleet", name, "revision", revision, "selector", agents.selector())),
                    Duration.ofSeconds(90));
            assertEquals("SUCCEEDED", again.getString("state"), again::prettify);
            assertEquals(List.of(false, false), again.getList("hosts.changed"), "the pinned revision, not the edited folder");
            assertEquals(generation, agents.fleet.currentGeneration(agents.names.get(0)));
            assertTrue(Files.readString(unpacked.resolve("fleet.nix")).contains("first"), "unpacked again as pinned");

            JsonPath latest = AgentFleet.awaitEnd(create(Map.of("fleet", name)), Duration.ofSeconds(90));
            assertEquals("SUCCEEDED", latest.getString("state"), latest::prettify);
            assertEquals(List.of(true, true), latest.getList("hosts.changed"), "no revision: a new one of the folder as it is");
            assertNotEquals(generation, agents.fleet.currentGeneration(agents.names.get(0)));
            Tokens.as("viewer").get("/api/v1/fleets/" + name + "/revisions").then().body("total", equalTo(2));

            for (Object[] c : List.of(
                    new Object[] {Map.of("fleet", Tokens.unique("none")), "fleet"},
                    new Object[] {Map.of("fleet", name, "revision", 999999999), "revision"},
                    new Object[] {Map.of("revision", revision), "fleet"},
                    new Object[] {Map.of("fleet", name, "configPath", folder.resolve("fleet.nix").toString()), "configPath"},
                    new Object[] {Map.of("fleet", name, "selector", Tokens.unique("nohost")), "selector"})) {
                Tokens.as("operator").contentType(ContentType.JSON).body(c[0]).post("/api/v1/rollouts")
                        .then().statusCode(400).body("field", equalTo(c[1]));
            }
        }
    }

    @Test
    void deploymentSettingsInNixDecideWhereARolloutConnects() throws Exception {
        Path dir = Files.createTempDirectory("controller-fleet-target");
        try (AgentFleet agents = new AgentFleet(dir, "ft", List.of("alpha", "beta"), Map.of())) {
            Path folder = Files.createDirectories(dir.resolve("fleet"));
            String beta = agents.names.get(1);
            int betaPort = agents.fleet.agent(beta).port();
            // The inventory sends beta to a port nothing listens on; its Nix configuration corrects it.
            String inventory = Files.readString(agents.inventory).replace("port: " + betaPort + "\n", "port: 1\n");
            Files.writeString(folder.resolve("inventory.yaml"), inventory);
            Files.writeString(folder.resolve("fleet.nix"), """
                    { ... }:
                    {
                      defaults = { host, ... }: { environment.etc."motd".text = "on ${host.name}\\n"; };
                      hosts."%s".deployment.targetPort = %d;
                    }
                    """.formatted(beta, betaPort));
            String name = Tokens.unique("fleet");
            Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("name", name, "path", folder.toString()))
                    .post("/api/v1/fleets").then().statusCode(201);

            JsonPath r = AgentFleet.awaitEnd(create(Map.of("fleet", name, "selector", agents.selector())), Duration.ofSeconds(90));
            assertEquals("SUCCEEDED", r.getString("state"), r::prettify);
            assertEquals(List.of(true, true), r.getList("hosts.changed"));
            assertEquals("on " + beta + "\n", agents.fleet.etc(beta, "motd").orElseThrow());

            // A configuration that does not evaluate is refused before anything starts, naming where it fails.
            Files.writeString(folder.resolve("fleet.nix"), "{ ... }: { hosts.\"%s\".deployment.targetPort = \"x\"; }".formatted(beta));
            String message = Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("fleet", name, "selector", agents.selector()))
                    .post("/api/v1/rollouts").then().statusCode(400).body("field", equalTo("fleet")).extract().path("message");
            assertTrue(message.contains(beta) && message.contains("targetPort"), message);
        }
    }
}
