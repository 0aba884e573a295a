package dev.flotilla.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

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
        putChecks(o, r.checks());
        r.confirmToken().ifPresent(t -> o.put("confirmToken", t));
        r.confirmDeadline().ifPresent(d -> o.put("confirmDeadline", d.toString()));
        return o;
    }

    public static SwitchResult switchResult(JsonNode o) {
        List<CheckResult> checks = checks(o);
        return new SwitchResult(o.path("fromGeneration").asInt(), o.path("toGeneration").asInt(), o.path("changed").asBoolean(),
                o.path("healthy").asBoolean(), o.path("rolledBack").asBoolean(), checks, o.path("message").asText(),
                text(o, "confirmToken"), text(o, "confirmDeadline").map(Instant::parse));
    }

    public static ObjectNode toJson(CheckReport r) {
        ObjectNode o = object().put("toplevel", r.toplevel()).put("generation", r.generation()).put("healthy", r.healthy());
        putChecks(o, r.checks());
        return o;
    }

    public static CheckReport checkReport(JsonNode o) {
        return new CheckReport(o.path("toplevel").asText(), o.path("generation").asInt(), o.path("healthy").asBoolean(), checks(o));
    }

    private static void putChecks(ObjectNode o, List<CheckResult> results) {
        ArrayNode checks = o.putArray("checks");
        results.forEach(c -> checks.addObject()
                .put("name", c.name()).put("healthy", c.healthy()).put("attempts", c.attempts())
                .put("output", c.output()).put("millis", c.millis()));
    }

    private static List<CheckResult> checks(JsonNode o) {
        List<CheckResult> checks = new ArrayList<>();
        for (JsonNode c : o.path("checks")) {
            checks.add(new CheckResult(c.path("name").asText(), c.path("healthy").asBoolean(), c.path("attempts").asInt(),
                    c.path("output").asText(), c.path("millis").asLong()));
        }
        return checks;
    }

    public static ObjectNode toJson(ConfirmResult r) {
        return object().put("token", r.token()).put("generation", r.generation()).put("toplevel", r.toplevel())
                .put("message", r.message());
    }

    public static ConfirmResult confirmResult(JsonNode o) {
        return new ConfirmResult(o.path("token").asText(), o.path("generation").asInt(), o.path("toplevel").asText(),
                o.path("message").asText());
    }

    public static ObjectNode toJson(AgentStatus s) {
        ObjectNode o = object().put("agentVersion", s.agentVersion()).put("defaultGeneration", s.defaultGeneration());
        s.host().ifPresent(h -> o.put("host", h));
        s.activeSystem().ifPresent(a -> o.put("activeSystem", a));
        o.set("generations", toJson(s.generations()));
        s.pending().ifPresent(p -> {
            ObjectNode n = o.putObject("pending").put("mode", p.mode()).put("fromGeneration", p.fromGeneration())
                    .put("toGeneration", p.toGeneration()).put("toplevel", p.toplevel()).put("deadline", p.deadline().toString());
            p.deploymentId().ifPresent(d -> n.put("deploymentId", d));
        });
        o.set("journal", journalJson(s.journal()));
        o.set("drift", driftJson(s.drift()));
        ArrayNode services = o.putArray("services");
        s.services().forEach(v -> {
            ObjectNode n = services.addObject().put("name", v.name()).put("state", v.state()).put("hash", v.hash());
            v.pid().ifPresent(p -> n.put("pid", p));
        });
        return o;
    }

    public static AgentStatus agentStatus(JsonNode o) {
        Optional<PendingInfo> pending = Optional.ofNullable(o.get("pending")).filter(JsonNode::isObject)
                .map(p -> new PendingInfo(p.path("mode").asText(), p.path("fromGeneration").asInt(), p.path("toGeneration").asInt(),
                        p.path("toplevel").asText(), Instant.parse(p.path("deadline").asText()), text(p, "deploymentId")));
        List<ServiceStatus> services = new ArrayList<>();
        for (JsonNode v : o.path("services")) {
            services.add(new ServiceStatus(v.path("name").asText(), v.path("state").asText(),
                    v.has("pid") ? OptionalLong.of(v.path("pid").asLong()) : OptionalLong.empty(), v.path("hash").asText()));
        }
        return new AgentStatus(o.path("agentVersion").asText(), text(o, "host"), o.path("defaultGeneration").asInt(),
                text(o, "activeSystem"), generations(o.path("generations")), pending, journal(o.path("journal")),
                drift(o.path("drift")), services);
    }

    public static ArrayNode toJson(List<GenerationInfo> generations) {
        ArrayNode array = Frames.JSON.createArrayNode();
        generations.forEach(g -> {
            ObjectNode n = array.addObject().put("number", g.number()).put("storePath", g.storePath())
                    .put("created", g.created().toString()).put("default", g.isDefault()).put("closureSize", g.closureSize());
            g.deploymentId().ifPresent(d -> n.put("deploymentId", d));
        });
        return array;
    }

    public static List<GenerationInfo> generations(JsonNode array) {
        List<GenerationInfo> list = new ArrayList<>();
        for (JsonNode g : array) {
            list.add(new GenerationInfo(g.path("number").asInt(), g.path("storePath").asText(),
                    Instant.parse(g.path("created").asText()), g.path("default").asBoolean(),
                    g.path("closureSize").asLong(-1), text(g, "deploymentId")));
        }
        return list;
    }

    public static ArrayNode driftJson(List<DriftEntry> drift) {
        ArrayNode array = Frames.JSON.createArrayNode();
        drift.forEach(d -> array.addObject().put("name", d.name()).put("kind", d.kind().name()).put("detail", d.detail()));
        return array;
    }

    public static List<DriftEntry> drift(JsonNode array) {
        List<DriftEntry> list = new ArrayList<>();
        for (JsonNode d : array) {
            list.add(new DriftEntry(d.path("name").asText(), DriftEntry.Kind.valueOf(d.path("kind").asText()), d.path("detail").asText()));
        }
        return list;
    }

    public static ArrayNode journalJson(List<JournalEntry> entries) {
        ArrayNode array = Frames.JSON.createArrayNode();
        entries.forEach(e -> {
            ObjectNode n = array.addObject().put("time", e.time().toString()).put("event", e.event())
                    .put("from", e.fromGeneration()).put("to", e.toGeneration()).put("toplevel", e.toplevel())
                    .put("reason", e.reason());
            e.deploymentId().ifPresent(d -> n.put("deploymentId", d));
        });
        return array;
    }

    public static List<JournalEntry> journal(JsonNode array) {
        List<JournalEntry> list = new ArrayList<>();
        for (JsonNode e : array) {
            list.add(new JournalEntry(Instant.parse(e.path("time").asText()), e.path("event").asText(), e.path("from").asInt(),
                    e.path("to").asInt(), e.path("toplevel").asText(), Optional.empty(), text(e, "deploymentId"),
                    e.path("reason").asText()));
        }
        return list;
    }

    private static Optional<String> text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
    }
}
