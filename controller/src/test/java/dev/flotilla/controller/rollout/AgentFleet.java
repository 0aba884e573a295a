package dev.flotilla.controller.rollout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.cli.LocalFleet;
import dev.flotilla.controller.Tokens;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Real agent processes that trust this controller's keys (read through the API), registered as the
 * controller's hosts through the API. Host names are unique per fixture; {@link #close()} stops the
 * agents and deletes the hosts.
 */
final class AgentFleet implements AutoCloseable {

    final Path dir;
    final List<String> names;
    final LocalFleet fleet;
    final Path inventory;
    /** The test port, remembered: REST Assured forgets it after the last test of a class. */
    private final int port = io.restassured.RestAssured.port;

    AgentFleet(Path dir, String prefix, List<String> hosts, Map<String, Map<String, Object>> vars) throws IOException {
        this.dir = dir;
        String p = Tokens.unique(prefix);
        this.names = hosts.stream().map(h -> p + "-" + h).toList();
        JsonPath keys = Tokens.as("viewer").get("/api/v1/controller/keys").then().statusCode(200).extract().jsonPath();
        Path keyDir = Files.createDirectories(dir.resolve("controller-keys"));
        Path ssh = Files.writeString(keyDir.resolve("id_ed25519.pub"), keys.getString("sshPublicKey") + "\n");
        Path store = Files.writeString(keyDir.resolve("store.pub"), keys.getString("storePublicKey") + "\n");
        this.fleet = LocalFleet.start(dir.resolve("hosts"), names, ssh, store);
        this.inventory = dir.resolve("inventory.yaml");
        Map<String, Map<String, Object>> byName = new java.util.HashMap<>();
        vars.forEach((h, v) -> byName.put(p + "-" + h, v));
        fleet.writeInventory(inventory, byName, Map.of());
        Tokens.as("operator").contentType("application/yaml").body(Files.readString(inventory))
                .post("/api/v1/inventory/import").then().statusCode(200);
    }

    String name(String host) {
        return names.stream().filter(n -> n.endsWith("-" + host)).findFirst().orElseThrow();
    }

    /** The selector for every host of this fleet. */
    String selector() {
        return String.join(",", names);
    }

    /**
     * Writes a host configuration whose motd carries {@code label}; with {@code failBroken}, hosts whose
     * inventory sets {@code broken} fail their health check.
     */
    Path config(String label, boolean failBroken) throws IOException {
        String nix = """
                { host, hosts, ... }:
                {
                  environment.etc."motd".text = "%s on ${host.name}, one of ${toString (builtins.length hosts)}\\n";
                  healthChecks.motd.command = "grep -q '${host.name}' etc/motd";
                  healthChecks.app.command = if %s && (host.vars.broken or false) then "echo 'app is broken' >&2; exit 1" else "true";
                  healthChecks.app.retries = 1;
                }
                """.formatted(label, failBroken);
        return Files.writeString(dir.resolve(label + ".nix"), nix);
    }

    static JsonPath awaitEnd(long rolloutId, Duration timeout) throws InterruptedException {
        return awaitState(rolloutId, List.of("SUCCEEDED", "ROLLED_BACK", "FAILED", "HALTED", "ABORTED"), timeout);
    }

    static JsonPath awaitState(long rolloutId, List<String> states, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonPath r = Tokens.as("viewer").get("/api/v1/rollouts/" + rolloutId).then().statusCode(200).extract().jsonPath();
            String state = r.getString("state");
            if (states.contains(state)) {
                return r;
            }
            assertTrue(System.nanoTime() < deadline, () -> "rollout " + rolloutId + " still " + state + " after " + timeout + ": " + r.prettify());
            Thread.sleep(200);
        }
    }

    @Override
    public void close() {
        fleet.close();
        for (String n : names) {
            Tokens.as("operator").port(port).delete("/api/v1/hosts/" + n);
        }
    }
}
