package dev.flotilla.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.deploy.RolloutReport;
import dev.flotilla.deploy.rollout.HostRecord;
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
            RolloutReport first = f.deploy("host.nix");
            assertEquals(RolloutReport.Outcome.SUCCEEDED, first.outcome(), () -> "first deploy: " + first.hosts());
            for (String h : HOSTS) {
                HostRecord s = first.host(h);
                assertEquals(HostRecord.Result.SWITCHED, s.result(), s::toString);
                assertEquals(1, s.generation());
                assertTrue(s.pathsSent() >= 1, "the system was copied to " + h);
                assertEquals(1, f.fleet.currentGeneration(h));
                assertEquals("Hello from " + h + "\nfleet size: 3\n", f.fleet.etc(h, "motd").orElseThrow());
                assertEquals("1\n", f.fleet.etc(h, "app/version").orElseThrow());
            }

            RolloutReport again = f.deploy("host.nix");
            for (String h : HOSTS) {
                HostRecord u = again.host(h);
                assertEquals(HostRecord.Result.UNCHANGED, u.result(), u::toString);
                assertEquals(1, u.generation());
                assertEquals(0, u.pathsSent(), "an unchanged redeploy copies nothing to " + h);
                assertEquals(1, f.fleet.currentGeneration(h));
            }

            RolloutReport second = f.deploy("host-v2.nix");
            for (String h : List.of("alpha", "beta")) {
                HostRecord s = second.host(h);
                assertEquals(HostRecord.Result.SWITCHED, s.result(), s::toString);
                assertEquals(2, s.generation());
                assertEquals(2, f.fleet.currentGeneration(h));
                assertEquals("2\n", f.fleet.etc(h, "app/version").orElseThrow());
            }
            HostRecord rb = second.host("gamma");
            assertEquals(HostRecord.Result.ROLLED_BACK, rb.result(), rb::toString);
            assertEquals(1, rb.fromGeneration());
            assertTrue(rb.failure().contains("app"), rb.failure());
            assertEquals(1, f.fleet.currentGeneration("gamma"));
            assertEquals("1\n", f.fleet.etc("gamma", "app/version").orElseThrow());
        }
    }
}
