package dev.flotilla.deploy.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.deploy.Step;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A rollout snapshot as JSON: the file format of {@link FileRolloutStore}, and a column the controller may keep. */
public final class RolloutJson {

    /** Bumped when the format changes incompatibly; readers refuse versions they do not know. */
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private RolloutJson() {}

    public static String write(RolloutRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", VERSION);
        o.put("id", r.id());
        o.put("goal", r.goal().word());
        o.put("status", r.status().word());
        o.put("created", r.created().toString());
        o.put("updated", r.updated().toString());
        o.put("description", r.description());
        o.put("reason", r.reason());
        try {
            o.set("plan", JSON.readTree(r.plan()));
        } catch (IOException e) {
            throw new IllegalStateException("stored plan of rollout " + r.id() + " is not JSON", e);
        }
        ArrayNode stages = o.putArray("stages");
        for (StageRecord s : r.stages()) {
            ObjectNode n = stages.addObject();
            n.put("name", s.name());
            n.put("status", s.status().word());
            n.put("approved", s.approved());
            s.pauseUntil().ifPresent(t -> n.put("pauseUntil", t.toString()));
        }
        ArrayNode hosts = o.putArray("hosts");
        for (HostRecord h : r.hosts()) {
            ObjectNode n = hosts.addObject();
            n.put("name", h.name());
            n.put("address", h.address());
            n.put("port", h.port());
            n.put("hostKey", h.hostKey());
            n.put("stage", h.stage());
            n.put("batch", h.batch());
            n.put("toplevel", h.toplevel());
            n.put("targetGeneration", h.targetGeneration());
            n.put("fromGeneration", h.fromGeneration());
            n.put("fromSystem", h.fromSystem());
            n.put("generation", h.generation());
            n.put("changed", h.changed());
            n.put("state", h.state().word());
            n.put("failed", h.failed());
            h.failedStep().ifPresent(s -> n.put("failedStep", s.word()));
            n.put("failure", h.failure());
            n.put("detail", h.detail());
            n.put("pathsSent", h.pathsSent());
            n.put("bytesSent", h.bytesSent());
            n.put("updated", h.updated().toString());
        }
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a snapshot; {@code source} names it in errors. */
    public static RolloutRecord read(String source, String text) throws IOException {
        JsonNode o;
        try {
            o = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(source + ": not a rollout (invalid JSON: " + e.getOriginalMessage() + ")", e);
        }
        if (o == null || o.path("version").asInt() != VERSION) {
            throw new IOException(source + ": unsupported rollout format version " + (o == null ? "none" : o.path("version")));
        }
        try {
            List<StageRecord> stages = new ArrayList<>();
            for (JsonNode n : o.path("stages")) {
                stages.add(new StageRecord(text(n, "name"), StageRecord.Status.valueOf(text(n, "status").toUpperCase(java.util.Locale.ROOT)),
                        n.path("approved").asBoolean(), n.hasNonNull("pauseUntil") ? Optional.of(Instant.parse(text(n, "pauseUntil"))) : Optional.empty()));
            }
            List<HostRecord> hosts = new ArrayList<>();
            for (JsonNode n : o.path("hosts")) {
                hosts.add(new HostRecord(text(n, "name"), text(n, "address"), n.path("port").asInt(), n.path("hostKey").asText(""),
                        text(n, "stage"), n.path("batch").asInt(), n.path("toplevel").asText(""), n.path("targetGeneration").asInt(),
                        n.path("fromGeneration").asInt(-1), n.path("fromSystem").asText(""), n.path("generation").asInt(),
                        n.path("changed").asBoolean(), HostState.parse(text(n, "state")), n.path("failed").asBoolean(),
                        n.hasNonNull("failedStep") ? Optional.of(Step.valueOf(text(n, "failedStep").toUpperCase(java.util.Locale.ROOT))) : Optional.empty(),
                        n.path("failure").asText(""), n.path("detail").asText(""), n.path("pathsSent").asInt(), n.path("bytesSent").asLong(), Instant.parse(text(n, "updated"))));
            }
            return new RolloutRecord(text(o, "id"), Goal.valueOf(text(o, "goal").toUpperCase(java.util.Locale.ROOT)),
                    RolloutStatus.parse(text(o, "status")), Instant.parse(text(o, "created")), Instant.parse(text(o, "updated")),
                    o.path("description").asText(""), COMPACT.writeValueAsString(o.path("plan")), stages, hosts, o.path("reason").asText(""));
        } catch (RuntimeException e) {
            throw new IOException(source + ": invalid rollout: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return v.asText();
    }
}
