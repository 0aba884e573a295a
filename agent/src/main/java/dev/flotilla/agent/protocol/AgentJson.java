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
import dev.flotilla.json.JsonArray;
import dev.flotilla.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON forms of the agent's result records, written by hand. Readers take fields an older agent
 * may not send (and only those) with a default, and ignore fields they do not know; a value of the
 * wrong type is a {@link dev.flotilla.json.JsonException}.
 */
public final class AgentJson {
    private AgentJson() {
    }

    public static JsonObject toJson(SwitchResult r) {
        JsonObject.Builder o = JsonObject.builder()
                .put("fromGeneration", r.fromGeneration())
                .put("toGeneration", r.toGeneration())
                .put("changed", r.changed())
                .put("healthy", r.healthy())
                .put("rolledBack", r.rolledBack())
                .put("message", r.message())
                .put("checks", checksJson(r.checks()));
        r.confirmToken().ifPresent(t -> o.put("confirmToken", t));
        r.confirmDeadline().ifPresent(d -> o.put("confirmDeadline", d.toString()));
        return o.build();
    }

    public static SwitchResult switchResult(JsonObject o) {
        return new SwitchResult(o.intValue("fromGeneration"), o.intValue("toGeneration"), o.bool("changed"),
                o.bool("healthy"), o.bool("rolledBack"), checks(o), o.string("message"),
                o.optString("confirmToken"), o.optString("confirmDeadline").map(Instant::parse));
    }

    public static JsonObject toJson(CheckReport r) {
        return JsonObject.builder().put("toplevel", r.toplevel()).put("generation", r.generation()).put("healthy", r.healthy())
                .put("checks", checksJson(r.checks())).build();
    }

    public static CheckReport checkReport(JsonObject o) {
        return new CheckReport(o.string("toplevel"), o.intValue("generation"), o.bool("healthy"), checks(o));
    }

    private static JsonArray checksJson(List<CheckResult> results) {
        JsonArray.Builder checks = JsonArray.builder();
        for (CheckResult c : results) {
            checks.add(JsonObject.builder().put("name", c.name()).put("healthy", c.healthy()).put("attempts", c.attempts())
                    .put("output", c.output()).put("millis", c.millis()).build());
        }
        return checks.build();
    }

    private static List<CheckResult> checks(JsonObject o) {
        List<CheckResult> checks = new ArrayList<>();
        for (JsonObject c : o.array("checks").objects()) {
            checks.add(new CheckResult(c.string("name"), c.bool("healthy"), c.intValue("attempts"), c.string("output", ""),
                    c.longValue("millis")));
        }
        return checks;
    }

    public static JsonObject toJson(ConfirmResult r) {
        return JsonObject.builder().put("token", r.token()).put("generation", r.generation()).put("toplevel", r.toplevel())
                .put("message", r.message()).build();
    }

    public static ConfirmResult confirmResult(JsonObject o) {
        return new ConfirmResult(o.string("token"), o.intValue("generation"), o.string("toplevel"), o.string("message"));
    }

    public static JsonObject toJson(AgentStatus s) {
        JsonObject.Builder o = JsonObject.builder().put("agentVersion", s.agentVersion()).put("defaultGeneration", s.defaultGeneration());
        s.host().ifPresent(h -> o.put("host", h));
        s.activeSystem().ifPresent(a -> o.put("activeSystem", a));
        o.put("generations", toJson(s.generations()));
        s.pending().ifPresent(p -> {
            JsonObject.Builder n = JsonObject.builder().put("mode", p.mode()).put("fromGeneration", p.fromGeneration())
                    .put("toGeneration", p.toGeneration()).put("toplevel", p.toplevel()).put("deadline", p.deadline().toString());
            p.deploymentId().ifPresent(d -> n.put("deploymentId", d));
            o.put("pending", n.build());
        });
        o.put("journal", journalJson(s.journal()));
        o.put("drift", driftJson(s.drift()));
        JsonArray.Builder services = JsonArray.builder();
        for (ServiceStatus v : s.services()) {
            JsonObject.Builder n = JsonObject.builder().put("name", v.name()).put("state", v.state()).put("hash", v.hash());
            v.pid().ifPresent(p -> n.put("pid", p));
            services.add(n.build());
        }
        return o.put("services", services.build()).build();
    }

    /** Agents before pending, journal, drift and services were added send none of them. */
    public static AgentStatus agentStatus(JsonObject o) {
        Optional<PendingInfo> pending = o.optObject("pending")
                .map(p -> new PendingInfo(p.string("mode"), p.intValue("fromGeneration"), p.intValue("toGeneration"),
                        p.string("toplevel"), Instant.parse(p.string("deadline")), p.optString("deploymentId")));
        List<ServiceStatus> services = new ArrayList<>();
        for (JsonObject v : o.array("services", JsonArray.EMPTY).objects()) {
            services.add(new ServiceStatus(v.string("name"), v.string("state"), v.optLong("pid"), v.string("hash", "")));
        }
        return new AgentStatus(o.string("agentVersion"), o.optString("host"), o.intValue("defaultGeneration"),
                o.optString("activeSystem"), generations(o.array("generations")), pending,
                journal(o.array("journal", JsonArray.EMPTY)), drift(o.array("drift", JsonArray.EMPTY)), services);
    }

    public static JsonArray toJson(List<GenerationInfo> generations) {
        JsonArray.Builder array = JsonArray.builder();
        for (GenerationInfo g : generations) {
            JsonObject.Builder n = JsonObject.builder().put("number", g.number()).put("storePath", g.storePath())
                    .put("created", g.created().toString()).put("default", g.isDefault()).put("closureSize", g.closureSize());
            g.deploymentId().ifPresent(d -> n.put("deploymentId", d));
            array.add(n.build());
        }
        return array.build();
    }

    /** Older agents send no closureSize (-1: unknown) and no deploymentId. */
    public static List<GenerationInfo> generations(JsonArray array) {
        List<GenerationInfo> list = new ArrayList<>();
        for (JsonObject g : array.objects()) {
            list.add(new GenerationInfo(g.intValue("number"), g.string("storePath"), Instant.parse(g.string("created")),
                    g.bool("default"), g.longValue("closureSize", -1), g.optString("deploymentId")));
        }
        return list;
    }

    public static JsonArray driftJson(List<DriftEntry> drift) {
        JsonArray.Builder array = JsonArray.builder();
        for (DriftEntry d : drift) {
            array.add(JsonObject.builder().put("name", d.name()).put("kind", d.kind().name()).put("detail", d.detail()).build());
        }
        return array.build();
    }

    public static List<DriftEntry> drift(JsonArray array) {
        List<DriftEntry> list = new ArrayList<>();
        for (JsonObject d : array.objects()) {
            list.add(new DriftEntry(d.string("name"), DriftEntry.Kind.valueOf(d.string("kind")), d.string("detail", "")));
        }
        return list;
    }

    public static JsonArray journalJson(List<JournalEntry> entries) {
        JsonArray.Builder array = JsonArray.builder();
        for (JournalEntry e : entries) {
            JsonObject.Builder n = JsonObject.builder().put("time", e.time().toString()).put("event", e.event())
                    .put("from", e.fromGeneration()).put("to", e.toGeneration()).put("toplevel", e.toplevel())
                    .put("reason", e.reason());
            e.deploymentId().ifPresent(d -> n.put("deploymentId", d));
            array.add(n.build());
        }
        return array.build();
    }

    public static List<JournalEntry> journal(JsonArray array) {
        List<JournalEntry> list = new ArrayList<>();
        for (JsonObject e : array.objects()) {
            list.add(new JournalEntry(Instant.parse(e.string("time")), e.string("event"), e.intValue("from"), e.intValue("to"),
                    e.string("toplevel", ""), Optional.empty(), e.optString("deploymentId"), e.string("reason", "")));
        }
        return list;
    }
}
