package dev.flotilla.controller.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.cli.LocalFleet;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two controller replicas (separate processes from the built app) share one PostgreSQL. The replica
 * driving a rollout is killed with SIGKILL half-way through a host; the other takes the rollout over
 * when the lease runs out and finishes it, and every host ends up switched exactly once.
 */
class ReplicaTakeoverIT {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final List<String> HOSTS = List.of("h1", "h2", "h3", "h4");

    @Test
    @Timeout(120)
    void aKilledReplicasRolloutIsFinishedByTheOtherWithOneSwitchPerHost(@TempDir Path dir) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        CompletableFuture<ControllerProcess> startingA = start("ha-a-" + run, dir);
        CompletableFuture<ControllerProcess> startingB = start("ha-b-" + run, dir);
        try (ControllerProcess a = startingA.join(); ControllerProcess b = startingB.join()) {
            // Both replicas show the same keys: generated once, kept in the database.
            JsonPath keys = a.api().get("/api/v1/controller/keys").then().statusCode(200).extract().jsonPath();
            assertEquals(keys.getString("storePublicKey"), b.api().get("/api/v1/controller/keys").then().extract().path("storePublicKey"));
            assertEquals(keys.getString("sshPublicKey"), b.api().get("/api/v1/controller/keys").then().extract().path("sshPublicKey"));
            Path ssh = Files.writeString(dir.resolve("controller.pub"), keys.getString("sshPublicKey") + "\n");
            Path store = Files.writeString(dir.resolve("store.pub"), keys.getString("storePublicKey") + "\n");
            List<String> names = HOSTS.stream().map(h -> "ha-" + run + "-" + h).toList();
            try (LocalFleet fleet = LocalFleet.start(dir.resolve("hosts"), names, ssh, store)) {
                Path inventory = dir.resolve("inventory.yaml");
                fleet.writeInventory(inventory, Map.of(), Map.of());
                // Each host's health check takes a second, so the rollout is still going when its driver dies.
                Path config = Files.writeString(dir.resolve("host.nix"), """
                        { host, ... }:
                        {
                          environment.etc."motd".text = "takeover %s on ${host.name}\\n";
                          healthChecks.slow.command = "sleep 1";
                        }
                        """.formatted(run));
                long id = ((Number) a.api().contentType(ContentType.JSON).body(Map.of("configPath", config.toString(),
                                "inventory", Files.readString(inventory), "parallel", 1))
                        .post("/api/v1/rollouts").then().statusCode(201).extract().path("id")).longValue();

                ControllerProcess owner = awaitMidRollout(b, id, List.of(a, b));
                ControllerProcess survivor = owner == a ? b : a;
                long killedAt = System.nanoTime();
                owner.kill();

                JsonPath done = awaitEnd(survivor, id, Duration.ofSeconds(60));
                assertEquals("SUCCEEDED", done.getString("state"), () -> done.prettify() + "\n" + survivor.tail());
                Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
                List<Map<String, Object>> events = survivor.api().get("/api/v1/rollouts/" + id + "/events?limit=5000")
                        .then().statusCode(200).extract().jsonPath().getList("$");
                assertTrue(events.stream().anyMatch(e -> String.valueOf(e.get("detail"))
                        .contains(survivor.name + " resumes this rollout: its driver " + owner.name + " stopped")), events::toString);

                for (String host : names) {
                    // On the host: exactly one generation, current, made by this rollout.
                    assertEquals(1, fleet.currentGeneration(host), host);
                    try (Stream<Path> links = Files.list(fleet.agent(host).root().resolve("flotilla/var/profiles"))) {
                        assertEquals(List.of("system-1-link"), links.map(p -> p.getFileName().toString())
                                .filter(n -> n.startsWith("system-")).sorted().toList(), host);
                    }
                    assertEquals("takeover " + run + " on " + host + "\n", fleet.etc(host, "motd").orElseThrow());
                    // In the history: one record for this rollout, on generation 1.
                    List<Map<String, Object>> history = survivor.api().get("/api/v1/hosts/" + host + "/generations")
                            .then().statusCode(200).extract().jsonPath().getList("items");
                    List<Map<String, Object>> ours = history.stream()
                            .filter(g -> g.get("rolloutId") != null && ((Number) g.get("rolloutId")).longValue() == id).toList();
                    assertEquals(1, ours.size(), () -> host + ": " + history);
                    assertEquals(1, ((Number) ours.getFirst().get("generation")).intValue(), () -> host + ": " + ours);
                }
                System.out.printf("rollout %d: %s killed mid-rollout, %s finished it %.1f s later%n", id, owner.name, survivor.name,
                        takeover.toMillis() / 1000.0);
            } finally {
                Files.copy(a.log, Path.of("target", "ha-a.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.copy(b.log, Path.of("target", "ha-b.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static CompletableFuture<ControllerProcess> start(String name, Path dir) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ControllerProcess.start(name, dir, LEASE).awaitReady(Duration.ofSeconds(60));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Waits until one host has switched and the next is under way; returns the replica driving the rollout. */
    private static ControllerProcess awaitMidRollout(ControllerProcess observer, long id, List<ControllerProcess> replicas) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath r = observer.api().get("/api/v1/rollouts/" + id).then().statusCode(200).extract().jsonPath();
            List<String> states = r.getList("hosts.state");
            long switched = states.stream().filter(s -> Set.of("CHECKING", "CONFIRMED").contains(s)).count();
            boolean busy = states.stream().anyMatch(s -> Set.of("COPIED", "SWITCHING").contains(s));
            String owner = r.getString("owner");
            if (switched >= 1 && busy && owner != null) {
                return replicas.stream().filter(p -> p.name.equals(owner)).findFirst()
                        .orElseThrow(() -> new AssertionError("rollout " + id + " is driven by " + owner + ", not by a replica of this test"));
            }
            assertTrue(!"SUCCEEDED".equals(r.getString("state")), "the rollout ended before it could be interrupted");
            Thread.sleep(50);
        }
        throw new AssertionError("rollout " + id + " never got half-way");
    }

    private static JsonPath awaitEnd(ControllerProcess c, long id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonPath r = c.api().get("/api/v1/rollouts/" + id).then().statusCode(200).extract().jsonPath();
            if (Set.of("SUCCEEDED", "ROLLED_BACK", "FAILED", "HALTED", "ABORTED").contains(r.getString("state"))) {
                return r;
            }
            assertTrue(System.nanoTime() < deadline, () -> "rollout " + id + " still " + r.getString("state") + ": " + r.prettify()
                    + "\n" + c.tail());
            Thread.sleep(200);
        }
    }
}
