package dev.flotilla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code flotilla eval --fleet DIR --host NAME}: one host's options after the module system merged them. */
class EvalFleetTest {

    record Run(int exit, String out, String err) {}

    static Run eval(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = CommandTree.commandLine().execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void printsAHostsMergedConfigurationAsJson() throws Exception {
        Run r = eval("eval", "--fleet", "../examples/web-fleet", "--host", "web-1");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        JsonNode config = new ObjectMapper().readTree(r.out());
        assertTrue(config.path("environment").path("etc").size() > 0, r.out());
        assertTrue(config.path("deployment").path("tags").toString().contains("canary"), r.out());
    }

    @Test
    void unknownHostsAndHalfTheOptionsAreInvalidInput() {
        Run unknown = eval("eval", "--fleet", "../examples/web-fleet", "--host", "nope");
        assertEquals(ExitCodes.INVALID_INPUT, unknown.exit());
        assertTrue(unknown.err().startsWith("error: "), unknown.err());
        Run half = eval("eval", "--fleet", "../examples/web-fleet");
        assertEquals(ExitCodes.INVALID_INPUT, half.exit());
        assertTrue(half.err().contains("--fleet DIR and --host NAME go together"), half.err());
    }
}
