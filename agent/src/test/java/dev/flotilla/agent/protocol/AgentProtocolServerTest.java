package dev.flotilla.agent.protocol;

import dev.flotilla.agent.system.SystemSwitcher;
import dev.flotilla.agent.testing.TestSystems;
import dev.flotilla.json.Json;
import dev.flotilla.json.JsonArray;
import dev.flotilla.json.JsonObject;
import dev.flotilla.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame protocol over plain byte streams, as {@code serve --stdio} runs it. */
class AgentProtocolServerTest {
    @TempDir
    Path root;

    private List<JsonObject> exchange(String... requests) throws Exception {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        for (String r : requests) {
            Frames.write(in, Json.parse(r));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new AgentProtocolServer(SystemSwitcher.forRoot(root, TestSystems.directoryStore(root)))
                .serve(new ByteArrayInputStream(in.toByteArray()), out);
        List<JsonObject> responses = new ArrayList<>();
        ByteArrayInputStream replies = new ByteArrayInputStream(out.toByteArray());
        for (Optional<JsonValue> f = Frames.read(replies); f.isPresent(); f = Frames.read(replies)) {
            responses.add(f.get().asObject());
        }
        return responses;
    }

    @Test
    void answersEveryRequestInOrderAndTurnsFailuresIntoErrors() throws Exception {
        String v1 = TestSystems.system("web-1").etc("motd", "v1\n").writeInto(root);
        List<JsonObject> replies = exchange(
                "{\"v\":1,\"id\":1,\"op\":\"switch\",\"toplevel\":\"" + v1 + "\",\"mode\":\"switch\",\"confirmTimeoutSeconds\":0}",
                "{\"v\":1,\"id\":2,\"op\":\"generations\"}",
                "{\"v\":1,\"id\":3,\"op\":\"switch\",\"toplevel\":\"" + v1 + "\",\"mode\":\"sideways\"}",
                "{\"v\":1,\"id\":4,\"op\":\"reboot\"}",
                "{\"v\":9,\"id\":5,\"op\":\"status\"}",
                "{\"v\":1,\"id\":6,\"op\":\"rollback\"}");
        assertEquals(6, replies.size());
        assertEquals(1, replies.get(0).object("result").intValue("toGeneration"));
        assertEquals(v1, replies.get(1).array("result").objects().get(0).string("storePath"));
        assertEquals("BAD_REQUEST", replies.get(2).object("error").string("code"));
        assertEquals("unknown switch mode 'sideways': use switch, boot, test or dry-activate",
                replies.get(2).object("error").string("message"));
        assertEquals("BAD_REQUEST", replies.get(3).object("error").string("code"));
        assertEquals("UNSUPPORTED_VERSION", replies.get(4).object("error").string("code"));
        assertEquals("no profile version older than the current (1) exists", replies.get(5).object("error").string("message"));
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 1, replies.get(i).intValue("id"));
        }
    }

    @Test
    void checkReportsTheActiveSystemAndLeavesTheJournalAlone() throws Exception {
        String v1 = TestSystems.system("web-1").etc("motd", "v1\n").commandCheck("ok", "true").writeInto(root);
        List<JsonObject> replies = exchange(
                "{\"v\":1,\"id\":1,\"op\":\"check\"}",
                "{\"v\":1,\"id\":2,\"op\":\"switch\",\"toplevel\":\"" + v1 + "\",\"mode\":\"switch\",\"confirmTimeoutSeconds\":0}",
                "{\"v\":1,\"id\":3,\"op\":\"check\"}",
                "{\"v\":1,\"id\":4,\"op\":\"status\"}");
        assertEquals("BAD_REQUEST", replies.get(0).object("error").string("code"));
        assertEquals("check: no system is active on this host yet", replies.get(0).object("error").string("message"));
        JsonObject report = replies.get(2).object("result");
        assertEquals(v1, report.string("toplevel"));
        assertEquals(1, report.intValue("generation"));
        assertEquals(true, report.bool("healthy"));
        assertEquals("ok", report.array("checks").objects().get(0).string("name"));
        assertEquals(1, replies.get(3).object("result").array("journal").size(), "only the switch is journalled");
    }

    @Test
    void malformedRequestsGetErrorResponsesAndNeverEchoASecret() throws Exception {
        List<JsonObject> replies = exchange(
                "[1,2]",
                "{\"v\":1,\"op\":\"status\"}",
                "{\"v\":1,\"id\":\"x-1\",\"op\":\"generations\",\"sizes\":\"yes\"}",
                "{\"v\":1,\"id\":4,\"op\":\"rollback\",\"generation\":1.5}",
                "{\"v\":1,\"id\":5,\"op\":\"switch\",\"toplevel\":\"/x\",\"mode\":\"switch\",\"secrets\":{\"pw\":123456}}",
                "{\"v\":\"1\",\"id\":6,\"op\":\"status\"}");
        assertEquals(6, replies.size());
        assertEquals("UNSUPPORTED_VERSION", replies.get(0).object("error").string("code"), "not an object: no version either");
        assertEquals(Optional.of(JsonValue.NULL), replies.get(0).get("id"));
        assertTrue(replies.get(1).bool("ok"));
        assertEquals(Optional.of(JsonValue.NULL), replies.get(1).get("id"), "no id: answered with a null one");
        assertEquals("x-1", replies.get(2).string("id"), "any id is echoed");
        assertEquals("BAD_REQUEST", replies.get(2).object("error").string("code"));
        assertEquals("generations: field 'sizes': expected true or false, got \"yes\"", replies.get(2).object("error").string("message"));
        assertEquals("rollback: generation must be an integer, got 1.5", replies.get(3).object("error").string("message"));
        assertEquals("switch: secret 'pw' is not valid base64", replies.get(4).object("error").string("message"));
        assertEquals("UNSUPPORTED_VERSION", replies.get(5).object("error").string("code"));
        assertEquals("[\"v\",\"id\",\"ok\",\"error\"]", JsonArray.ofStrings(List.copyOf(replies.get(5).members().keySet())).toString(),
                "the response's fields in their usual order");
    }
}
