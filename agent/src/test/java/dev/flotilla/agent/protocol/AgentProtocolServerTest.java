package dev.flotilla.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.system.SystemSwitcher;
import dev.flotilla.agent.testing.TestSystems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The frame protocol over plain byte streams, as {@code serve --stdio} runs it. */
class AgentProtocolServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private List<JsonNode> exchange(String... requests) throws Exception {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        for (String r : requests) {
            Frames.write(in, JSON.readTree(r));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new AgentProtocolServer(SystemSwitcher.forRoot(root, TestSystems.directoryStore(root)))
                .serve(new ByteArrayInputStream(in.toByteArray()), out);
        List<JsonNode> responses = new ArrayList<>();
        ByteArrayInputStream replies = new ByteArrayInputStream(out.toByteArray());
        for (Optional<JsonNode> f = Frames.read(replies); f.isPresent(); f = Frames.read(replies)) {
            responses.add(f.get());
        }
        return responses;
    }

    @Test
    void answersEveryRequestInOrderAndTurnsFailuresIntoErrors() throws Exception {
        String v1 = TestSystems.system("web-1").etc("motd", "v1\n").writeInto(root);
        List<JsonNode> replies = exchange(
                "{\"v\":1,\"id\":1,\"op\":\"switch\",\"toplevel\":\"" + v1 + "\",\"mode\":\"switch\",\"confirmTimeoutSeconds\":0}",
                "{\"v\":1,\"id\":2,\"op\":\"generations\"}",
                "{\"v\":1,\"id\":3,\"op\":\"switch\",\"toplevel\":\"" + v1 + "\",\"mode\":\"sideways\"}",
                "{\"v\":1,\"id\":4,\"op\":\"reboot\"}",
                "{\"v\":9,\"id\":5,\"op\":\"status\"}",
                "{\"v\":1,\"id\":6,\"op\":\"rollback\"}");
        assertEquals(6, replies.size());
        assertEquals(1, replies.get(0).path("result").path("toGeneration").asInt());
        assertEquals(v1, replies.get(1).path("result").get(0).path("storePath").asText());
        assertEquals("BAD_REQUEST", replies.get(2).path("error").path("code").asText());
        assertEquals("unknown switch mode 'sideways': use switch, boot, test or dry-activate",
                replies.get(2).path("error").path("message").asText());
        assertEquals("BAD_REQUEST", replies.get(3).path("error").path("code").asText());
        assertEquals("UNSUPPORTED_VERSION", replies.get(4).path("error").path("code").asText());
        assertEquals("no profile version older than the current (1) exists", replies.get(5).path("error").path("message").asText());
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 1, replies.get(i).path("id").asInt());
        }
    }

    @Test
    void checkReportsTheActiveSystemAndLeavesTheJournalAlone() throws Exception {
        String v1 = TestSystems.system("web-1").etc("motd", "v1\n").commandCheck("ok", "true").writeInto(root);
        List<JsonNode> replies = exchange(
                "{\"v\":1,\"id\":1,\"op\":\"check\"}",
                "{\"v\":1,\"id\":2,\"op\":\"switch\",\"toplevel\":\"" + v1 + "\",\"mode\":\"switch\",\"confirmTimeoutSeconds\":0}",
                "{\"v\":1,\"id\":3,\"op\":\"check\"}",
                "{\"v\":1,\"id\":4,\"op\":\"status\"}");
        assertEquals("BAD_REQUEST", replies.get(0).path("error").path("code").asText());
        assertEquals("check: no system is active on this host yet", replies.get(0).path("error").path("message").asText());
        JsonNode report = replies.get(2).path("result");
        assertEquals(v1, report.path("toplevel").asText());
        assertEquals(1, report.path("generation").asInt());
        assertEquals(true, report.path("healthy").asBoolean());
        assertEquals("ok", report.path("checks").get(0).path("name").asText());
        assertEquals(1, replies.get(3).path("result").path("journal").size(), "only the switch is journalled");
    }
}
