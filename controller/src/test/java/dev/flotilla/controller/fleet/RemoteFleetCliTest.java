package dev.flotilla.controller.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.cli.ExitCodes;
import dev.flotilla.cli.CommandTree;
import dev.flotilla.controller.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code flotilla remote fleet register|revision} against this service. */
@QuarkusTest
class RemoteFleetCliTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    private static Run flotilla(String role, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CommandTree.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("remote", "--controller", "http://localhost:" + RestAssured.port, "--token", Tokens.of(role)));
        all.addAll(List.of(args));
        return new Run(cl.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    @Test
    void registerThenPinARevision() throws Exception {
        Path dir = FleetApiTest.copyExample(tmp.resolve("f"));
        String name = Tokens.unique("cli");
        Run reg = flotilla("operator", "fleet", "register", name, dir.toString());
        assertEquals(ExitCodes.OK, reg.code(), reg::toString);
        assertEquals("fleet " + name + ": registered " + dir.toAbsolutePath().normalize() + "\n", reg.out());

        Run rev = flotilla("operator", "fleet", "revision", name);
        assertEquals(ExitCodes.OK, rev.code(), rev::toString);
        assertTrue(rev.out().matches("fleet " + name + ": revision \\d+ sha256-\\S+\n"), rev.out());

        Run dup = flotilla("operator", "fleet", "register", name, dir.toString());
        assertEquals(2, dup.code(), dup::toString);
        assertTrue(dup.err().contains("exists already"), dup.err());
        Run denied = flotilla("viewer", "fleet", "revision", name);
        assertEquals(2, denied.code(), denied::toString);
    }
}
