package dev.flotilla.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.deploy.DeployReport;
import dev.flotilla.deploy.HostResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline against three agent processes over real SSH: inventory, Nix evaluation, build,
 * copy of only what is missing, atomic switch, health checks and automatic rollback.
 */
class WalkingSkeletonTest {

    private static final List<String> HOSTS = List.of("alpha", "beta", "gamma");

    @Test
    void deployRedeployAndRollbackOnAFailingHealthCheck(@TempDir Path dir) throws Exception {
        Map<String, Map<String, Object>> vars = Map.of("gamma", Map.of("broken", true));
        try (FleetFixture f = new FleetFixture(dir, HOSTS, vars)) {
            DeployReport first = f.deploy("host.nix");
            assertTrue(first.allSucceeded(), () -> "first deploy: " + first.results());
            for (String h : HOSTS) {
                HostResult.Switched s = assertInstanceOf(HostResult.Switched.class, first.result(h));
                assertEquals(1, s.toGeneration());
                assertTrue(s.transfer().pathsSent() >= 1, "the system was copied to " + h);
                assertEquals(1, f.fleet.currentGeneration(h));
                assertEquals("Hello from " + h + "\nfleet size: 3\n", f.fleet.etc(h, "motd").orElseThrow());
                assertEquals("1\n", f.fleet.etc(h, "app/version").orElseThrow());
            }

            DeployReport again = f.deploy("host.nix");
            for (String h : HOSTS) {
                HostResult.Unchanged u = assertInstanceOf(HostResult.Unchanged.class, again.result(h));
                assertEquals(1, u.generation());
                assertEquals(0, u.transfer().pathsSent(), "an unchanged redeploy copies nothing to " + h);
                assertEquals(1, f.fleet.currentGeneration(h));
            }

            DeployReport second = f.deploy("host-v2.nix");
            for (String h : List.of("alpha", "beta")) {
                HostResult.Switched s = assertInstanceOf(HostResult.Switched.class, second.result(h));
                assertEquals(2, s.toGeneration());
                assertEquals(2, f.fleet.currentGeneration(h));
                assertEquals("2\n", f.fleet.etc(h, "app/version").orElseThrow());
            }
            HostResult.RolledBack rb = assertInstanceOf(HostResult.RolledBack.class, second.result("gamma"));
            assertEquals(1, rb.generation());
            assertTrue(rb.reason().contains("app"), rb.reason());
            assertEquals(1, f.fleet.currentGeneration("gamma"));
            assertEquals("1\n", f.fleet.etc("gamma", "app/version").orElseThrow());
        }
    }
}
