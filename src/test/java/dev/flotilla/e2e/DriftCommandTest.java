package dev.flotilla.e2e;

import static dev.flotilla.e2e.CliRun.flotilla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla drift} against real agents: hand edits in /etc are reported per host, with exit codes. */
class DriftCommandTest {


    @Test
    void handEditsAreReportedPerHostAndAnUnansweredHostIsNotCountedClean(@TempDir Path dir) throws Exception {
        try (FleetFixture f = new FleetFixture(dir, List.of("one", "two"), Map.of())) {
            String inv = f.inventory.toString();
            String state = f.state.toString();
            CliRun deploy = flotilla("deploy", "-i", inv, "-c", f.fleetDir.resolve("host.nix").toString(), "--state", state);
            assertEquals(ExitCodes.OK, deploy.exit(), deploy.out() + deploy.err());

            CliRun clean = flotilla("drift", "-i", inv, "--state", state);
            assertEquals(ExitCodes.OK, clean.exit(), clean.out() + clean.err());
            assertTrue(clean.out().contains("one: no drift") && clean.out().contains("two: no drift"), clean.out());
            assertTrue(clean.out().contains("0 of 2 hosts drifted"), clean.out());

            // On two, someone replaces the managed link with an edited copy; on one, deletes a managed file.
            Path motd = f.fleet.agent("two").root().resolve("etc/motd");
            Files.delete(motd);
            Files.writeString(motd, "edited by hand\n");
            Files.delete(f.fleet.agent("one").root().resolve("etc/app/version"));

            CliRun drifted = flotilla("drift", "-i", inv, "--state", state);
            assertEquals(ExitCodes.DRIFTED, drifted.exit(), drifted.out() + drifted.err());
            assertTrue(drifted.out().matches("(?s).*two:\\n  REPLACED +/etc/motd.*"), drifted.out());
            assertTrue(drifted.out().matches("(?s).*one:\\n  MISSING +/etc/app/version.*"), drifted.out());
            assertTrue(drifted.out().contains("2 of 2 hosts drifted"), drifted.out());

            CliRun json = flotilla("drift", "-i", inv, "--state", state, "--json", "--on", "two");
            assertEquals(ExitCodes.DRIFTED, json.exit(), json.err());
            JsonNode two = new ObjectMapper().readTree(json.out().strip());
            assertEquals("two", two.get("host").asText());
            assertEquals("motd", two.get("drift").get(0).get("entry").asText());
            assertEquals("REPLACED", two.get("drift").get(0).get("kind").asText());

            f.fleet.agent("one").process().destroy();
            f.fleet.agent("one").process().waitFor();
            CliRun partial = flotilla("drift", "-i", inv, "--state", state);
            assertEquals(ExitCodes.FAILED, partial.exit(), partial.out());
            assertTrue(partial.out().contains("one: UNREACHABLE"), partial.out());
        }
    }

}
