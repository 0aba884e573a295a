package dev.flotilla.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.AgentStatus;
import dev.flotilla.agent.CheckResult;
import dev.flotilla.agent.GenerationInfo;
import dev.flotilla.agent.SwitchResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The JSON forms of the agent's result records (written by hand: explicit, and no Jackson modules needed). */
public final class AgentJson {
    private AgentJson() {
    }

    static ObjectNode object() {
        return Frames.JSON.createObjectNode();
    }

    public static ObjectNode toJson(SwitchResult r) {
        ObjectNode o = object()
                .put("fromGeneration", r.fromGeneration())
                .put("toGeneration", r.toGeneration())
                .put("changed", r.changed())
                .put("healthy", r.healthy())
                .put("rolledBack", r.rolledBack())
                .put("message", r.message());
        ArrayNode checks = o.putArray("checks");
        r.checks().forEach(c -> checks.addObject()
                .put("name", c.name()).put("healthy", c.healthy()).put("attempts", c.attempts())
                .put("output", c.output()).put("millis", c.millis()));
        return o;
    }

    public static SwitchResult switchResult(JsonNode o) {
        List<CheckResult> checks = new ArrayList<>();
        for (JsonNode c : o.path("checks")) {
            checks.add(new CheckResult(c.path("name").asText(), c.path("healthy").asBoolean(), c.path("attempts").asInt(),
                    c.path("output").asText(), c.path("millis").asLong()));
        }
        return new SwitchResult(o.path("fromGeneration").asInt(), o.path("toGeneration").asInt(), o.path("changed").asBoolean(),
                o.path("healthy").asBoolean(), o.path("rolledBack").asBoolean(), checks, o.path("message").asText());
    }

    public static ObjectNode toJson(AgentStatus s) {
        ObjectNode o = object().put("agentVersion", s.agentVersion()).put("defaultGeneration", s.defaultGeneration());
        s.host().ifPresent(h -> o.put("host", h));
        s.activeSystem().ifPresent(a -> o.put("activeSystem", a));
        o.set("generations", toJson(s.generations()));
        return o;
    }

    public static AgentStatus agentStatus(JsonNode o) {
        return new AgentStatus(o.path("agentVersion").asText(), text(o, "host"), o.path("defaultGeneration").asInt(),
                text(o, "activeSystem"), generations(o.path("generations")));
    }

    public static ArrayNode toJson(List<GenerationInfo> generations) {
        ArrayNode array = Frames.JSON.createArrayNode();
        generations.forEach(g -> array.addObject().put("number", g.number()).put("storePath", g.storePath())
                .put("created", g.created().toString()).put("default", g.isDefault()));
        return array;
    }

    public static List<GenerationInfo> generations(JsonNode array) {
        List<GenerationInfo> list = new ArrayList<>();
        for (JsonNode g : array) {
            list.add(new GenerationInfo(g.path("number").asInt(), g.path("storePath").asText(),
                    Instant.parse(g.path("created").asText()), g.path("default").asBoolean()));
        }
        return list;
    }

    private static Optional<String> text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
    }
}
