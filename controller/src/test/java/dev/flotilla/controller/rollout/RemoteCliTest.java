package dev.flotilla.controller.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.cli.ExitCodes;
import dev.flotilla.cli.Main;
import dev.flotilla.controller.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI's remote mode ({@code flotilla remote ...}) against this controller, deploying to real agents. */
@QuarkusTest
class RemoteCliTest {

    private static AgentFleet fleet;

    private static synchronized AgentFleet fleet() throws Exception {
        if (fleet == null) {
            fleet = new AgentFleet(Files.createTempDirectory("controller-remote-cli"), "rc", List.of("one", "two"), Map.of());
        }
        return fleet;
    }

    @AfterAll
    static void stopAgents() {
        if (fleet != null) {
            fleet.close();
        }
    }

    /** What one run of the CLI printed, and its exit code. */
    record Run(int code, String out, String err) {}

    private static Run flotilla(String role, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("remote", "--controller", "http://localhost:" + RestAssured.port, "--token", Tokens.of(role)));
        all.addAll(List.of(args));
        int code = cl.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void deployStartsARolloutFollowsItsEventsAndPrintsTheHosts() throws Exception {
        AgentFleet fleet = fleet();
        Path config = fleet.config(Tokens.unique("remote"), false);
        int before = fleet.fleet.currentGeneration(fleet.name("one"));

        Run run = flotilla("operator", "deploy", "--config", config.toString(), "--on", fleet.selector(), "--parallel", "2");

        assertEquals(ExitCodes.OK, run.code(), run::toString);
        Matcher m = Pattern.compile("Started rollout (\\d+)").matcher(run.out());
        assertTrue(m.find(), run::toString);
        long id = Long.parseLong(m.group(1));
        for (String h : fleet.names) {
            for (String state : List.of("evaluating", "copying", "switching", "switched")) {
                assertTrue(Pattern.compile("(?m)^" + Pattern.quote(h) + "\\s+" + state + "\\b").matcher(run.out()).find(),
                        () -> h + " " + state + " in " + run);
            }
        }
        assertTrue(run.out().contains("rollout " + id + " succeeded."), run::toString);
        assertTrue(Pattern.compile("(?m)^" + Pattern.quote(fleet.name("one")) + "\\s+switched\\s+.*-> " + (before + 1) + "\\b")
                .matcher(run.out()).find(), run::toString);
        assertEquals(before + 1, fleet.fleet.currentGeneration(fleet.name("one")));

        Run status = flotilla("viewer", "status", Long.toString(id));
        assertEquals(ExitCodes.OK, status.code(), status::toString);
        assertTrue(status.out().contains("rollout " + id + " succeeded."), status::toString);

        Run followed = flotilla("viewer", "status", Long.toString(id), "--follow");
        assertEquals(ExitCodes.OK, followed.code(), followed::toString);
        assertTrue(followed.out().contains("rollout " + id + ": succeeded"), followed::toString);

        Run list = flotilla("viewer", "status", "--state", "succeeded", "--limit", "500");
        assertEquals(ExitCodes.OK, list.code(), list::toString);
        assertTrue(Pattern.compile("(?m)^" + id + "\\s+succeeded").matcher(list.out()).find(), list::toString);
    }

    @Test
    void refusalsAreReportedWithTheFieldAndAnInputExitCode() throws Exception {
        AgentFleet fleet = fleet();
        Path config = fleet.config(Tokens.unique("refused"), false);

        Run typo = flotilla("operator", "deploy", "--config", config.toString(), "--on", Tokens.unique("no-such-host"));
        assertEquals(ExitCodes.INVALID_INPUT, typo.code(), typo::toString);
        assertTrue(typo.err().startsWith("error: selector: "), typo::toString);

        Run viewer = flotilla("viewer", "deploy", "--config", config.toString(), "--on", fleet.selector());
        assertEquals(ExitCodes.INVALID_INPUT, viewer.code(), viewer::toString);

        Run missing = flotilla("viewer", "status", "999999999");
        assertEquals(ExitCodes.INVALID_INPUT, missing.code(), missing::toString);
        assertTrue(missing.err().contains("999999999"), missing::toString);
    }

    @Test
    void detachPrintsTheIdAndAbortStopsTheRollout() throws Exception {
        AgentFleet fleet = fleet();
        Path config = fleet.config(Tokens.unique("detach"), false);
        Run started = flotilla("operator", "deploy", "--config", config.toString(), "--on", fleet.selector(), "--parallel", "1", "--detach");
        assertEquals(ExitCodes.OK, started.code(), started::toString);
        long id = Long.parseLong(started.out().trim());

        Run abort = flotilla("operator", "abort", Long.toString(id));
        assertTrue(abort.code() == ExitCodes.OK || abort.err().contains("finished"), abort::toString);
        Run followed = flotilla("viewer", "status", Long.toString(id), "--follow");
        assertTrue(followed.out().contains("rollout " + id + " "), followed::toString);
        assertTrue(List.of(ExitCodes.OK, ExitCodes.HALTED).contains(followed.code()), followed::toString);
    }
}
