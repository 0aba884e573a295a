package dev.flotilla.controller.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.cli.ExitCodes;
import dev.flotilla.cli.CommandTree;
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
        CommandLine cl = CommandTree.commandLine();
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
            for (String state : List.of("copying", "copied", "switching", "checking", "confirmed")) {
                assertTrue(Pattern.compile("(?m)^" + Pattern.quote(h) + "\\s+" + state + "\\b").matcher(run.out()).find(),
                        () -> h + " " + state + " in " + run);
            }
        }
        assertTrue(run.out().contains("rollout " + id + " succeeded."), run::toString);
        assertTrue(Pattern.compile("(?m)^" + Pattern.quote(fleet.name("one")) + "\\s+confirmed\\s+.*-> " + (before + 1) + "\\b")
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

    @Test
    void aPlanFileGatesTheRolloutApproveFinishesItAndRollbackReturnsTheHosts() throws Exception {
        AgentFleet fleet = fleet();
        String one = fleet.name("one");
        String two = fleet.name("two");
        Map<String, Integer> before = new java.util.LinkedHashMap<>();
        for (String h : fleet.names) {
            before.put(h, fleet.fleet.currentGeneration(h));
        }
        Path plan = Files.writeString(fleet.dir.resolve(Tokens.unique("gated") + ".yaml"), """
                name: gated
                priorities: [%s]
                stages:
                  - name: first
                    count: 1
                  - name: second
                    approval: true
                """.formatted(one));
        Path config = fleet.config(Tokens.unique("plan"), false);

        Run gated = flotilla("operator", "deploy", "--config", config.toString(), "--on", fleet.selector(), "--plan", plan.toString());
        assertEquals(ExitCodes.HALTED, gated.code(), gated::toString);
        Matcher m = Pattern.compile("Started rollout (\\d+)").matcher(gated.out());
        assertTrue(m.find(), gated::toString);
        long id = Long.parseLong(m.group(1));
        assertTrue(gated.out().contains("rollout " + id + " is awaiting approval"), gated::toString);
        assertEquals(before.get(one) + 1, fleet.fleet.currentGeneration(one), "the first stage switched");
        assertEquals(before.get(two), fleet.fleet.currentGeneration(two), "the gated stage switched nothing");

        Run viewer = flotilla("viewer", "approve", Long.toString(id), "--stage", "second");
        assertEquals(ExitCodes.INVALID_INPUT, viewer.code(), viewer::toString);
        Run wrong = flotilla("operator", "approve", Long.toString(id), "--stage", "third");
        assertEquals(ExitCodes.INVALID_INPUT, wrong.code(), wrong::toString);
        assertTrue(wrong.err().startsWith("error: stage: "), wrong::toString);
        Run approved = flotilla("operator", "approve", Long.toString(id), "--stage", "second", "--follow");
        assertEquals(ExitCodes.OK, approved.code(), approved::toString);
        assertTrue(approved.out().contains("rollout " + id + ": stage 'second' approved"), approved::toString);
        assertTrue(approved.out().contains("rollout " + id + " succeeded."), approved::toString);
        for (String h : fleet.names) {
            assertEquals(before.get(h) + 1, fleet.fleet.currentGeneration(h), h);
        }

        Run back = flotilla("operator", "rollback", "--on", fleet.selector(), "--to-rollout", Long.toString(id),
                "--plan", "rolling");
        // --to-rollout ID: the generations rollout ID left, i.e. the ones just deployed: nothing changes on the hosts.
        assertEquals(ExitCodes.OK, back.code(), back::toString);
        assertTrue(back.out().startsWith("Started rollback "), back::toString);
        for (String h : fleet.names) {
            assertEquals(before.get(h) + 1, fleet.fleet.currentGeneration(h), h + " stays where rollout " + id + " left it");
        }
        Run previous = flotilla("operator", "rollback", "--on", fleet.selector());
        assertEquals(ExitCodes.OK, previous.code(), previous::toString);
        assertTrue(Pattern.compile("(?m)^" + Pattern.quote(one) + "\\s+confirmed\\b").matcher(previous.out()).find(), previous::toString);
        for (String h : fleet.names) {
            assertEquals(before.get(h), fleet.fleet.currentGeneration(h), h + " is back on its previous generation");
        }
    }

    @Test
    void aBadPlanFileIsRefusedWithItsPositionAndNothingIsCreated() throws Exception {
        AgentFleet fleet = fleet();
        Path plan = Files.writeString(fleet.dir.resolve(Tokens.unique("bad") + ".yaml"), """
                name: bad
                stages:
                  - name: a
                    batch: lots
                """);
        Path config = fleet.config(Tokens.unique("badplan"), false);
        Run run = flotilla("operator", "deploy", "--config", config.toString(), "--on", fleet.selector(), "--plan", plan.toString());
        assertEquals(ExitCodes.INVALID_INPUT, run.code(), run::toString);
        assertTrue(run.err().contains(plan.toString()) && run.err().contains("batch"), run::toString);
        Run unknown = flotilla("operator", "rollback", "--on", fleet.selector(), "--plan", "yolo");
        assertEquals(ExitCodes.INVALID_INPUT, unknown.code(), unknown::toString);
        assertTrue(unknown.err().contains("yolo"), unknown::toString);
        Run both = flotilla("operator", "rollback", "--on", fleet.selector(), "--to-generation", "1", "--to-rollout", "2");
        assertEquals(ExitCodes.INVALID_INPUT, both.code(), both::toString);
    }

    @Test
    void pauseStopsARunningRolloutBeforeItsNextSwitchAndResumeFinishesIt() throws Exception {
        AgentFleet fleet = fleet();
        String one = fleet.name("one");
        String two = fleet.name("two");
        int twoBefore = fleet.fleet.currentGeneration(two);
        // The first stage waits 5 s after switching host one: the pause request lands in that wait.
        Path plan = Files.writeString(fleet.dir.resolve(Tokens.unique("paced") + ".yaml"), """
                name: paced
                priorities: [%s]
                stages:
                  - name: first
                    count: 1
                    pause: 5s
                  - name: rest
                """.formatted(one));
        Path config = fleet.config(Tokens.unique("pause"), false);
        Run started = flotilla("operator", "deploy", "--config", config.toString(), "--on", fleet.selector(), "--plan", plan.toString(),
                "--detach");
        assertEquals(ExitCodes.OK, started.code(), started::toString);
        long id = Long.parseLong(started.out().trim());
        awaitHost(id, one, "CONFIRMED");

        Run pause = flotilla("operator", "pause", Long.toString(id));
        assertEquals(ExitCodes.OK, pause.code(), pause::toString);
        // Running (it stops before host two's switch), or already paused (it was queued, between two runs of its wait).
        assertTrue(Pattern.compile("rollout " + id + ": pause requested \\(now (running|paused)\\)").matcher(pause.out()).find(), pause::toString);
        Run followed = flotilla("viewer", "status", Long.toString(id), "--follow");
        assertEquals(ExitCodes.HALTED, followed.code(), followed::toString);
        assertTrue(followed.out().contains("rollout " + id + " is paused"), followed::toString);
        assertEquals(twoBefore, fleet.fleet.currentGeneration(two), "nothing switched after the pause");
        Run again = flotilla("operator", "pause", Long.toString(id));
        assertEquals(ExitCodes.INVALID_INPUT, again.code(), again::toString);

        Run resume = flotilla("operator", "resume", Long.toString(id), "--follow");
        assertEquals(ExitCodes.OK, resume.code(), resume::toString);
        assertTrue(resume.out().contains("rollout " + id + ": resumed"), resume::toString);
        assertTrue(resume.out().contains("rollout " + id + " succeeded."), resume::toString);
        // The agent numbers a new generation after its highest, which an earlier rollback may have left above the current one.
        int toGeneration = Tokens.as("viewer").get("/api/v1/rollouts/" + id).then().statusCode(200).extract()
                .path("hosts.find { it.name == '" + two + "' }.toGeneration");
        assertTrue(toGeneration > twoBefore, () -> "host two went from " + twoBefore + " to " + toGeneration);
        assertEquals(toGeneration, fleet.fleet.currentGeneration(two));
        Run finished = flotilla("operator", "resume", Long.toString(id));
        assertEquals(ExitCodes.INVALID_INPUT, finished.code(), finished::toString);
        assertTrue(finished.err().contains("not paused"), finished::toString);
    }

    private static void awaitHost(long id, String host, String state) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (!state.equals(Tokens.as("viewer").get("/api/v1/rollouts/" + id).then().statusCode(200).extract()
                .path("hosts.find { it.name == '" + host + "' }.state"))) {
            assertTrue(System.nanoTime() < deadline, () -> host + " never became " + state + " in rollout " + id);
            Thread.sleep(100);
        }
    }
}
