package dev.flotilla.agent.protocol;

import dev.flotilla.agent.AgentStatus;
import dev.flotilla.agent.CheckReport;
import dev.flotilla.agent.CheckResult;
import dev.flotilla.agent.ConfirmResult;
import dev.flotilla.agent.DriftEntry;
import dev.flotilla.agent.GenerationInfo;
import dev.flotilla.agent.JournalEntry;
import dev.flotilla.agent.PendingInfo;
import dev.flotilla.agent.ServiceStatus;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.json.Json;
import dev.flotilla.json.JsonException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The agent protocol's answers: the same bytes as the agents already deployed send, and read back whole. */
class AgentJsonTest {
    static final Instant T = Instant.parse("2026-11-22T08:00:00.123456Z");

    static final SwitchResult SWITCH = new SwitchResult(1, 2, true, false, true,
            List.of(new CheckResult("web", false, 3, "out\nput é", 1234)), "msg \"x\"", Optional.of("tok"), Optional.of(T));

    static final AgentStatus STATUS = new AgentStatus("0.1.0", Optional.of("web-1"), 2, Optional.of("/flotilla/store/x-sys"),
            List.of(new GenerationInfo(1, "/flotilla/store/a", T, false, 1000, Optional.empty()),
                    new GenerationInfo(2, "/flotilla/store/b", T, true, -1, Optional.of("dep-1"))),
            Optional.of(new PendingInfo("switch", 1, 2, "/flotilla/store/b", T, Optional.of("dep-1"))),
            List.of(new JournalEntry(T, "switch", 1, 2, "/flotilla/store/b", Optional.empty(), Optional.of("dep-1"), "because")),
            List.of(new DriftEntry("motd", DriftEntry.Kind.MODIFIED, "changed")),
            List.of(new ServiceStatus("app", "running", OptionalLong.of(42), "abc"), new ServiceStatus("db", "stopped", OptionalLong.empty(), "def")));

    /** Written by the Jackson-based agent for the same records; clients of either version read both. */
    @Test
    void answersHaveTheFieldsAndOrderTheyAlwaysHad() {
        assertEquals("""
                {"fromGeneration":1,"toGeneration":2,"changed":true,"healthy":false,"rolledBack":true,"message":"msg \\"x\\"",\
                "checks":[{"name":"web","healthy":false,"attempts":3,"output":"out\\nput é","millis":1234}],"confirmToken":"tok",\
                "confirmDeadline":"2026-11-22T08:00:00.123456Z"}""", AgentJson.toJson(SWITCH).toString());
        assertEquals("""
                {"agentVersion":"0.1.0","defaultGeneration":2,"host":"web-1","activeSystem":"/flotilla/store/x-sys",\
                "generations":[{"number":1,"storePath":"/flotilla/store/a","created":"2026-11-22T08:00:00.123456Z","default":false,\
                "closureSize":1000},{"number":2,"storePath":"/flotilla/store/b","created":"2026-11-22T08:00:00.123456Z",\
                "default":true,"closureSize":-1,"deploymentId":"dep-1"}],"pending":{"mode":"switch","fromGeneration":1,\
                "toGeneration":2,"toplevel":"/flotilla/store/b","deadline":"2026-11-22T08:00:00.123456Z","deploymentId":"dep-1"},\
                "journal":[{"time":"2026-11-22T08:00:00.123456Z","event":"switch","from":1,"to":2,"toplevel":"/flotilla/store/b",\
                "reason":"because","deploymentId":"dep-1"}],"drift":[{"name":"motd","kind":"MODIFIED","detail":"changed"}],\
                "services":[{"name":"app","state":"running","hash":"abc","pid":42},{"name":"db","state":"stopped","hash":"def"}]}""",
                AgentJson.toJson(STATUS).toString());
        assertEquals("{\"toplevel\":\"/flotilla/store/b\",\"generation\":2,\"healthy\":true,\"checks\":[]}",
                AgentJson.toJson(CheckReport.of("/flotilla/store/b", 2, List.of())).toString());
        assertEquals("{\"token\":\"tok\",\"generation\":2,\"toplevel\":\"/flotilla/store/b\",\"message\":\"ok\"}",
                AgentJson.toJson(new ConfirmResult("tok", 2, "/flotilla/store/b", "ok")).toString());
    }

    @Test
    void answersReadBackWhole() {
        assertEquals(SWITCH, AgentJson.switchResult(Json.parseObject(Json.write(AgentJson.toJson(SWITCH)))));
        assertEquals(STATUS, AgentJson.agentStatus(Json.parseObject(Json.write(AgentJson.toJson(STATUS)))));
        CheckReport report = CheckReport.of("/flotilla/store/b", 2, List.of(new CheckResult("ok", true, 1, "", 5)));
        assertEquals(report, AgentJson.checkReport(Json.parseObject(Json.write(AgentJson.toJson(report)))));
        ConfirmResult confirm = new ConfirmResult("tok", 2, "/flotilla/store/b", "ok");
        assertEquals(confirm, AgentJson.confirmResult(Json.parseObject(Json.write(AgentJson.toJson(confirm)))));
        assertEquals(STATUS.generations(), AgentJson.generations(Json.parse(Json.write(AgentJson.toJson(STATUS.generations()))).asArray()));
        assertEquals(STATUS.drift(), AgentJson.drift(Json.parse(Json.write(AgentJson.driftJson(STATUS.drift()))).asArray()));
    }

    @Test
    void anOlderAgentsStatusWithoutLaterFieldsStillReads() {
        AgentStatus old = AgentJson.agentStatus(Json.parseObject("""
                {"agentVersion":"0.0.9","defaultGeneration":1,"generations":[{"number":1,"storePath":"/flotilla/store/a",\
                "created":"2026-11-22T08:00:00.123456Z","default":true}],"someFutureField":{"x":[1]}}"""));
        assertEquals(new AgentStatus("0.0.9", Optional.empty(), 1, Optional.empty(),
                List.of(new GenerationInfo(1, "/flotilla/store/a", T, true))), old);
        assertEquals(-1, old.generations().getFirst().closureSize(), "closureSize unknown");
    }

    @Test
    void aFieldOfTheWrongTypeIsAnErrorNamingIt() {
        JsonException e = assertThrows(JsonException.class, () -> AgentJson.confirmResult(Json.parseObject(
                "{\"token\":\"tok\",\"generation\":\"2\",\"toplevel\":\"/flotilla/store/b\",\"message\":\"ok\"}")));
        assertEquals("field 'generation': expected an integer, got \"2\"", e.getMessage());
        assertEquals("field 'message' is missing", assertThrows(JsonException.class, () -> AgentJson.confirmResult(
                Json.parseObject("{\"token\":\"tok\",\"generation\":2,\"toplevel\":\"/flotilla/store/b\"}"))).getMessage());
    }
}
