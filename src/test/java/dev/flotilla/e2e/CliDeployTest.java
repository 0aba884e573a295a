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

/** The `flotilla deploy` command as a script sees it: exit codes and --json events. */
class CliDeployTest {



    @Test
    void exitCodesAndJsonEvents(@TempDir Path dir) throws Exception {
        try (FleetFixture f = new FleetFixture(dir, List.of("one", "two"), Map.of("two", Map.of("broken", true)))) {
            String inv = f.inventory.toString();
            String state = f.state.toString();

            CliRun first = flotilla("deploy", "-i", inv, "-c", f.fleetDir.resolve("host.nix").toString(), "--state", state, "--json");
            assertEquals(ExitCodes.OK, first.exit(), first.err());
            List<JsonNode> events = first.out().lines().map(CliDeployTest::json).toList();
            JsonNode report = events.getLast();
            assertEquals("report", report.get("event").asText());
            assertEquals(2, report.get("switched").asInt());
            assertTrue(events.stream().anyMatch(e -> e.get("event").asText().equals("stage") && e.get("stage").asText().equals("copy")));

            CliRun second = flotilla("deploy", "-i", inv, "-c", f.fleetDir.resolve("host-v2.nix").toString(), "--state", state);
            assertEquals(ExitCodes.ROLLED_BACK, second.exit(), second.out() + second.err());
            assertTrue(second.out().contains("1 switched, 0 unchanged, 1 rolled back, 0 failed"), second.out());

            CliRun only = flotilla("deploy", "-i", inv, "-c", f.fleetDir.resolve("host-v2.nix").toString(), "--state", state, "--on", "one");
            assertEquals(ExitCodes.OK, only.exit(), only.out() + only.err());
            assertTrue(only.out().contains("0 switched, 1 unchanged, 0 rolled back, 0 failed"), only.out());

            Path bad = dir.resolve("bad.nix");
            Files.writeString(bad, "{ host, ... }: { environment.etc.motd.text = 42; }\n");
            CliRun invalid = flotilla("deploy", "-i", inv, "-c", bad.toString(), "--state", state);
            assertEquals(ExitCodes.INVALID_INPUT, invalid.exit());
            assertTrue(invalid.out().contains("environment.etc.\"motd\".text: expected a string, got the integer 42"), invalid.out());

            CliRun noSuchHost = flotilla("deploy", "-i", inv, "-c", bad.toString(), "--state", state, "--on", "three");
            assertEquals(ExitCodes.INVALID_INPUT, noSuchHost.exit());
            assertTrue(noSuchHost.err().contains("matches no host"), noSuchHost.err());
        }
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
