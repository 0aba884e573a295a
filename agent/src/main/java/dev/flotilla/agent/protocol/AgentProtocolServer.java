package dev.flotilla.agent.protocol;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchOptions;
import dev.flotilla.agent.system.SystemSwitcher;
import dev.flotilla.json.JsonArray;
import dev.flotilla.json.JsonException;
import dev.flotilla.json.JsonObject;
import dev.flotilla.json.JsonValue;
import dev.flotilla.json.JsonValue.JsonNull;
import dev.flotilla.json.JsonValue.JsonNumber;
import dev.flotilla.json.JsonValue.JsonString;
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
import java.util.OptionalLong;
import java.util.TreeMap;

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
        for (Optional<JsonValue> frame = Frames.read(in); frame.isPresent(); frame = Frames.read(in)) {
            // a request that is not an object has no version either: it gets the version error
            Frames.write(out, answer(frame.get() instanceof JsonObject o ? o : JsonObject.EMPTY, connection));
        }
    }

    JsonObject answer(JsonObject request) {
        return answer(request, SystemSwitcher.LOCAL);
    }

    /** The response to one request; every failure becomes an error response here, and only here. */
    JsonObject answer(JsonObject request, String connection) {
        JsonObject.Builder response = JsonObject.builder().put("v", AgentProtocol.VERSION)
                .put("id", request.get("id").orElse(JsonValue.NULL));
        try {
            JsonValue version = request.get("v").orElse(JsonValue.NULL);
            if (!(version instanceof JsonNumber n && n.isLong() && n.longValue() == AgentProtocol.VERSION)) {
                return error(response, AgentProtocol.UNSUPPORTED_VERSION, "this agent speaks protocol version "
                        + AgentProtocol.VERSION + ", the request is version " + version);
            }
            JsonValue result = dispatch(request, connection);
            return response.put("ok", true).put("result", result).build();
        } catch (AgentException e) {
            return error(response, e.kind().name(), e.getMessage());
        } catch (JsonException e) {
            return error(response, Kind.BAD_REQUEST.name(), op(request) + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("request {} failed", op(request), e);
            return error(response, Kind.INTERNAL.name(), e.toString());
        }
    }

    private static String op(JsonObject request) {
        // requests are logged by op only: a switch may carry secrets
        return request.get("op").orElse(JsonValue.NULL) instanceof JsonString s ? s.value() : "";
    }

    private JsonValue dispatch(JsonObject request, String connection) {
        String op = op(request);
        return switch (op) {
            case AgentProtocol.OP_STATUS -> AgentJson.toJson(switcher.status());
            case AgentProtocol.OP_GENERATIONS -> AgentJson.toJson(switcher.generations(request.bool("sizes", false)));
            case AgentProtocol.OP_SWITCH -> AgentJson.toJson(switcher.switchTo(
                    required(request, "toplevel"), SwitchMode.parse(required(request, "mode")), options(request), connection));
            case AgentProtocol.OP_CONFIRM -> AgentJson.toJson(switcher.confirm(required(request, "token"), connection));
            case AgentProtocol.OP_DRIFT -> AgentJson.driftJson(switcher.drift());
            case AgentProtocol.OP_CHECK -> AgentJson.toJson(switcher.check());
            case AgentProtocol.OP_DELETE_GENERATIONS -> deleteGenerations(request);
            case AgentProtocol.OP_ROLLBACK -> {
                JsonValue g = request.get("generation").orElse(JsonValue.NULL);
                if (!(g instanceof JsonNull) && !(g instanceof JsonNumber n && n.isLong() && n.longValue() == (int) n.longValue())) {
                    throw new AgentException(Kind.BAD_REQUEST, "rollback: generation must be an integer, got " + g);
                }
                yield AgentJson.toJson(switcher.rollback(request.optInt("generation")));
            }
            default -> throw new AgentException(Kind.BAD_REQUEST, "unknown operation '" + op
                    + "' (expected status, switch, confirm, rollback, generations, drift, delete-generations or check)");
        };
    }

    private static SwitchOptions options(JsonObject request) {
        SwitchOptions options = SwitchOptions.defaults();
        JsonValue timeout = request.get("confirmTimeoutSeconds").orElse(JsonValue.NULL);
        if (!(timeout instanceof JsonNull)) {
            if (!(timeout instanceof JsonNumber seconds) || seconds.doubleValue() < 0) {
                throw new AgentException(Kind.BAD_REQUEST, "switch: confirmTimeoutSeconds must be a number >= 0, got " + timeout);
            }
            options = options.withConfirmTimeout(Duration.ofMillis(Math.round(seconds.doubleValue() * 1000)));
        }
        Optional<String> id = request.optString("deploymentId");
        if (id.isPresent()) {
            options = options.withDeploymentId(id.get());
        }
        JsonValue secrets = request.get("secrets").orElse(JsonValue.NULL);
        if (!(secrets instanceof JsonNull)) {
            if (!(secrets instanceof JsonObject object)) {
                throw new AgentException(Kind.BAD_REQUEST, "switch: secrets must be an object of base64 strings");
            }
            Map<String, byte[]> contents = new TreeMap<>();
            for (Map.Entry<String, JsonValue> e : object.members().entrySet()) {
                try {
                    // never the value in a message: it is a secret, whatever its type
                    if (!(e.getValue() instanceof JsonString base64)) {
                        throw new IllegalArgumentException("not a string");
                    }
                    contents.put(e.getKey(), Base64.getDecoder().decode(base64.value()));
                } catch (IllegalArgumentException ex) {
                    throw new AgentException(Kind.BAD_REQUEST, "switch: secret '" + e.getKey() + "' is not valid base64");
                }
            }
            options = options.withSecrets(contents);
        }
        return options;
    }

    private JsonValue deleteGenerations(JsonObject request) {
        OptionalLong older = request.optLong("olderThanSeconds");
        List<Integer> deleted = switcher.deleteGenerations(request.optInt("keep"),
                older.isEmpty() ? Optional.empty() : Optional.of(Duration.ofSeconds(older.getAsLong())));
        JsonArray.Builder list = JsonArray.builder();
        deleted.forEach(list::add);
        JsonObject.Builder result = JsonObject.builder().put("deleted", list.build());
        if (request.bool("gc", false)) {
            result.put("gc", switcher.collectGarbage().orElse("not available in this agent's store"));
        }
        return result.build();
    }

    private static String required(JsonObject request, String field) {
        if (!(request.get(field).orElse(JsonValue.NULL) instanceof JsonString s) || s.value().isEmpty()) {
            throw new AgentException(Kind.BAD_REQUEST, op(request) + ": missing '" + field + "'");
        }
        return s.value();
    }

    private static JsonObject error(JsonObject.Builder response, String code, String message) {
        return response.put("ok", false)
                .put("error", JsonObject.builder().put("code", code).put("message", message).build()).build();
    }
}
