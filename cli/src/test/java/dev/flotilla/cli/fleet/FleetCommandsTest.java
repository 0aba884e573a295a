package dev.flotilla.cli.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** flotilla build --fleet and flotilla diff on a copy of examples/web-fleet. */
class FleetCommandsTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Path fleet() throws IOException {
        Path from = Path.of("../examples/web-fleet");
        Path to = tmp.resolve("fleet");
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("flotilla.lock")) {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    @Test
    void buildPrintsEachToplevelAndDiffShowsWhatChanged() throws IOException {
        Path fleet = fleet();
        String state = tmp.resolve("state").toString();
        Run build = run(new BuildCommand(), "--fleet", fleet.toString(), "--state", state, "--on", "web");
        assertEquals(0, build.code(), build.err());
        String[] lines = build.out().strip().split("\n");
        assertEquals(3, lines.length, build.out());
        assertTrue(build.out().matches("(?s).*web-1 /flotilla/store/[0-9a-z]{32}-flotilla-system-web-1\n.*"), build.out());
        assertTrue(Files.exists(fleet.resolve("flotilla.lock")));

        Run same = run(new DiffCommand(), "--fleet", fleet.toString(), "--state", state, "--host", "web-1");
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("  no change\n"), same.out());

        Files.writeString(fleet.resolve("fleet.nix"), Files.readString(fleet.resolve("fleet.nix"))
                .replace("app.logLevel = \"debug\";", "app.logLevel = \"warn\";"));
        Run diff = run(new DiffCommand(), "--fleet", fleet.toString(), "--state", state, "--host", "web-1", "--json");
        assertEquals(0, diff.code(), diff.err());
        JsonNode d = new ObjectMapper().readTree(diff.out());
        assertEquals("flotilla-system-web-1", d.at("/changed/0/name").asText());
        assertEquals(0, d.get("added").size());

        Run locked = run(new BuildCommand(), "--fleet", fleet.toString(), "--state", state, "--locked");
        assertEquals(2, locked.code());
        assertTrue(locked.err().contains("flotilla.lock: fleet.nix changed: file sha256-"), locked.err());
    }

    @Test
    void derivationBuildLogsAreKeptAndShownAndAFailurePrintsTheTail() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap is installed");
        Path fleet = fleet();
        String state = tmp.resolve("state").toString();
        Files.writeString(fleet.resolve("fleet.nix"), Files.readString(fleet.resolve("fleet.nix")).replace("hosts.web-3 = {", """
                  hosts.web-2.environment.packages = [
                    (derivation { name = "motd-tool"; system = builtins.currentSystem; builder = "/bin/sh";
                                  args = [ "-c" "echo making the tool; echo > $out" ]; })
                  ];
                  hosts.web-3 = {"""));
        Run build = run(new BuildCommand(), "--fleet", fleet.toString(), "--state", state, "--on", "web-2", "--sandbox", "required");
        assertEquals(0, build.code(), build.err());
        assertTrue(build.err().matches("(?s)building /flotilla/store/[a-z0-9]{32}-motd-tool.drv\nbuilt /flotilla/store/[a-z0-9]{32}-motd-tool.drv"
                + " \\(log: " + java.util.regex.Pattern.quote(state) + "/root/flotilla/var/log/drvs/[a-z0-9]{32}-motd-tool.drv.log\\)\n.*"), build.err());

        Run byHost = run(new BuildCommand(), "--fleet", fleet.toString(), "--state", state, "--log", "web-2");
        assertEquals(0, byHost.code(), byHost.err());
        assertTrue(byHost.out().matches("(?s)==> .*-motd-tool.drv.log <==\nmaking the tool\n"), byHost.out());
        Run byName = run(new BuildCommand(), "--fleet", fleet.toString(), "--state", state, "--log", "motd-tool");
        assertEquals(byHost.out(), byName.out());
        Run none = run(new BuildCommand(), "--fleet", fleet.toString(), "--state", state, "--log", "web-1");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("host web-1: no derivation build logs (its system uses no derivation)"), none.err());

        Files.writeString(fleet.resolve("fleet.nix"), Files.readString(fleet.resolve("fleet.nix")).replace("echo > $out", "echo cannot; exit 9"));
        Run failed = run(new BuildCommand(), "--fleet", fleet.toString(), "--state", state, "--on", "web-2", "--sandbox", "required");
        assertEquals(2, failed.code());
        assertTrue(failed.err().contains("error: host web-2: builder for '/flotilla/store/"), failed.err());
        assertTrue(failed.err().contains("failed with exit code 9; last 2 log lines:\n  > making the tool\n  > cannot\nfull log: "), failed.err());
        assertEquals(2, run(new BuildCommand(), "--fleet", fleet.toString(), "--state", state, "--sandbox", "maybe").code());
    }

    @Test
    void jsonOutputAndInvalidInput() throws IOException {
        Path fleet = fleet();
        String state = tmp.resolve("state").toString();
        Run json = run(new BuildCommand(), "--fleet", fleet.toString(), "--state", state, "--on", "@canary", "--json");
        assertEquals(0, json.code(), json.err());
        JsonNode line = new ObjectMapper().readTree(json.out().strip());
        assertEquals("web-1", line.get("host").asText());
        assertTrue(line.get("toplevel").asText().endsWith("-flotilla-system-web-1"));

        Files.writeString(fleet.resolve("modules/db.nix"), "{ services.db.command = 42; }");
        Run bad = run(new BuildCommand(), "--fleet", fleet.toString(), "--state", state);
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("error: host db-1: The option `services.db.command' has a value of the wrong type in modules/db.nix:1:3"), bad.err());
        assertEquals(3, bad.out().strip().split("\n").length, "the other hosts still build");

        Run none = run(new DiffCommand(), "--fleet", fleet.toString(), "--state", tmp.resolve("empty").toString(), "--host", "web-2");
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("error: no earlier build of web-2"), none.err());
        assertEquals(2, run(new BuildCommand(), "--fleet", tmp.resolve("nowhere").toString()).code());
    }
}
