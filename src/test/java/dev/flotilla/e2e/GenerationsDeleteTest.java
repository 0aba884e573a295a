package dev.flotilla.e2e;

import static dev.flotilla.e2e.CliRun.flotilla;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla generations --delete}: old generations go on every host, the current one never. */
class GenerationsDeleteTest {


    @Test
    void keepsTheNewestAndRefusesToGuessWhichToDelete(@TempDir Path dir) throws Exception {
        try (FleetFixture f = new FleetFixture(dir, List.of("one", "two"), Map.of())) {
            String inv = f.inventory.toString();
            String state = f.state.toString();
            String base = Files.readString(f.fleetDir.resolve("host.nix"));
            for (int version = 1; version <= 3; version++) {
                Path config = f.fleetDir.resolve("v" + version + ".nix");
                Files.writeString(config, base.replace("\"1\\n\"", "\"" + version + "\\n\""));
                CliRun deploy = flotilla("deploy", "-i", inv, "-c", config.toString(), "--state", state);
                assertEquals(ExitCodes.OK, deploy.exit(), deploy.out() + deploy.err());
            }
            assertEquals(3, f.fleet.currentGeneration("one"));

            CliRun vague = flotilla("generations", "-i", inv, "--state", state, "--delete");
            assertEquals(ExitCodes.INVALID_INPUT, vague.exit());
            assertTrue(vague.err().contains("--delete needs --keep N and/or --older-than AGE"), vague.err());
            CliRun badAge = flotilla("generations", "-i", inv, "--state", state, "--delete", "--older-than", "soon");
            assertEquals(ExitCodes.INVALID_INPUT, badAge.exit());
            assertTrue(badAge.err().contains("30d, 12h, 90m or 3600s"), badAge.err());
            // Nothing is older than a day yet: nothing goes.
            CliRun young = flotilla("generations", "-i", inv, "--state", state, "--delete", "--older-than", "1d");
            assertEquals(ExitCodes.OK, young.exit(), young.out() + young.err());
            assertTrue(young.out().contains("one: no generation deleted"), young.out());

            CliRun deleted = flotilla("generations", "-i", inv, "--state", state, "--delete", "--keep", "1", "--gc");
            assertEquals(ExitCodes.OK, deleted.exit(), deleted.out() + deleted.err());
            assertTrue(deleted.out().contains("one: deleted generations [1, 2]"), deleted.out());
            assertTrue(deleted.out().contains("two: deleted generations [1, 2]"), deleted.out());

            CliRun listed = flotilla("generations", "-i", inv, "--state", state, "--on", "one");
            assertEquals(ExitCodes.OK, listed.exit(), listed.err());
            assertEquals(1, listed.out().lines().filter(l -> l.contains("(current)")).count(), listed.out());
            assertTrue(listed.out().lines().noneMatch(l -> l.matches("\\s+[12]\\s.*")), listed.out());
            assertEquals(3, f.fleet.currentGeneration("one"));
            assertEquals("3\n", f.fleet.etc("one", "app/version").orElseThrow());
        }
    }

}
