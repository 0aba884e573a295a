package dev.flotilla.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchOptions;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.flotilla.agent.system.SystemSwitcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.OptionalInt;

/** Serves {@link AgentProtocol} requests against a {@link SystemSwitcher}: read a frame, dispatch, answer. */
public final class AgentProtocolServer implements StreamService {
    private static final Logger LOG = LoggerFactory.getLogger(AgentProtocolServer.class);

    private final SystemSwitcher switcher;

    public AgentProtocolServer(SystemSwitcher switcher) {
        this.switcher = switcher;
    }

    @Override
    public void serve(InputStream in, OutputStream out) throws IOException {
        serve(in, out, SystemSwitcher.LOCAL);
    }

    @Override
    public void serve(InputStream in, OutputStream out, String connection) throws IOException {
        for (Optional<JsonNode> frame = Frames.read(in); frame.isPresent(); frame = Frames.read(in)) {
            Frames.write(out, answer(frame.get(), connection));
        }
    }

    ObjectNode answer(JsonNode request) {
        return answer(request, SystemSwitcher.LOCAL);
    }

    /** The response to one request; every failure becomes an error response here, and only here. */
    ObjectNode answer(JsonNode request, String connection) {
        ObjectNode response = AgentJson.object().put("v", AgentProtocol.VERSION);
        response.set("id", request.path("id"));
        try {
            int version = request.path("v").asInt(-1);
            if (version != AgentProtocol.VERSION) {
                return error(response, AgentProtocol.UNSUPPORTED_VERSION, "this agent speaks protocol version "
                        + AgentProtocol.VERSION + ", the request is version " + request.path("v"));
            }
            response.put("ok", true).set("result", dispatch(request, connection));
            return response;
        } catch (AgentException e) {
            return error(response, e.kind().name(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("request {} failed", op(request), e);
            return error(response, Kind.INTERNAL.name(), e.toString());
        }
    }

    private static String op(JsonNode request) {
        return request.path("op").asText();  // requests are logged by op only: a switch may carry secrets
    }

    private JsonNode dispatch(JsonNode request, String connection) {
        String op = request.path("op").asText();
        return switch (op) {
            case AgentProtocol.OP_STATUS -> AgentJson.toJson(switcher.status());
            case AgentProtocol.OP_GENERATIONS -> AgentJson.toJson(switcher.generations(request.path("sizes").asBoolean(false)));
            case AgentProtocol.OP_SWITCH -> AgentJson.toJson(switcher.switchTo(
                    required(request, "toplevel"), SwitchMode.parse(required(request, "mode")), options(request), connection));
            case AgentProtocol.OP_CONFIRM -> AgentJson.toJson(switcher.confirm(required(request, "token"), connection));
            case AgentProtocol.OP_DRIFT -> AgentJson.driftJson(switcher.drift());
            case AgentProtocol.OP_CHECK -> AgentJson.toJson(switcher.check());
            case AgentProtocol.OP_DELETE_GENERATIONS -> deleteGenerations(request);
            case AgentProtocol.OP_ROLLBACK -> {
                JsonNode g = request.get("generation");
                if (g != null && !g.isNull() && !g.canConvertToInt()) {
                    throw new AgentException(Kind.BAD_REQUEST, "rollback: generation must be an integer, got " + g);
                }
                yield AgentJson.toJson(switcher.rollback(g == null || g.isNull() ? OptionalInt.empty() : OptionalInt.of(g.asInt())));
            }
            default -> throw new AgentException(Kind.BAD_REQUEST, "unknown operation '" + op
                    + "' (expected status, switch, confirm, rollback, generations, drift, delete-generations or check)");
        };
    }

    private static SwitchOptions options(JsonNode request) {
        SwitchOptions options = SwitchOptions.defaults();
        JsonNode timeout = request.get("confirmTimeoutSeconds");
        if (timeout != null && !timeout.isNull()) {
            if (!timeout.isNumber() || timeout.asDouble() < 0) {
                throw new AgentException(Kind.BAD_REQUEST, "switch: confirmTimeoutSeconds must be a number >= 0, got " + timeout);
            }
            options = options.withConfirmTimeout(Duration.ofMillis(Math.round(timeout.asDouble() * 1000)));
        }
        JsonNode id = request.get("deploymentId");
        if (id != null && !id.isNull()) {
            options = options.withDeploymentId(id.asText());
        }
        JsonNode secrets = request.get("secrets");
        if (secrets != null && !secrets.isNull()) {
            if (!secrets.isObject()) {
                throw new AgentException(Kind.BAD_REQUEST, "switch: secrets must be an object of base64 strings");
            }
            Map<String, byte[]> contents = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : secrets.properties()) {
                try {
                    contents.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText()));
                } catch (IllegalArgumentException ex) {
                    throw new AgentException(Kind.BAD_REQUEST, "switch: secret '" + e.getKey() + "' is not valid base64");
                }
            }
            options = options.withSecrets(contents);
        }
        return options;
    }

    private JsonNode deleteGenerations(JsonNode request) {
        JsonNode keep = request.get("keep");
        JsonNode older = request.get("olderThanSeconds");
        List<Integer> deleted = switcher.deleteGenerations(
                keep == null || keep.isNull() ? OptionalInt.empty() : OptionalInt.of(keep.asInt()),
                older == null || older.isNull() ? Optional.empty() : Optional.of(Duration.ofSeconds(older.asLong())));
        ObjectNode result = AgentJson.object();
        ArrayNode list = result.putArray("deleted");
        deleted.forEach(list::add);
        if (request.path("gc").asBoolean(false)) {
            switcher.collectGarbage().ifPresentOrElse(r -> result.put("gc", r), () -> result.put("gc", "not available in this agent's store"));
        }
        return result;
    }

    private static String required(JsonNode request, String field) {
        JsonNode n = request.get(field);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw new AgentException(Kind.BAD_REQUEST, request.path("op").asText() + ": missing '" + field + "'");
        }
        return n.asText();
    }

    private static ObjectNode error(ObjectNode response, String code, String message) {
        response.put("ok", false).putObject("error").put("code", code).put("message", message);
        return response;
    }
}
