package dev.flotilla.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.system.SystemSwitcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
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
        for (Optional<JsonNode> frame = Frames.read(in); frame.isPresent(); frame = Frames.read(in)) {
            Frames.write(out, answer(frame.get()));
        }
    }

    /** The response to one request; every failure becomes an error response here, and only here. */
    ObjectNode answer(JsonNode request) {
        ObjectNode response = AgentJson.object().put("v", AgentProtocol.VERSION);
        response.set("id", request.path("id"));
        try {
            int version = request.path("v").asInt(-1);
            if (version != AgentProtocol.VERSION) {
                return error(response, AgentProtocol.UNSUPPORTED_VERSION, "this agent speaks protocol version "
                        + AgentProtocol.VERSION + ", the request is version " + request.path("v"));
            }
            response.put("ok", true).set("result", dispatch(request));
            return response;
        } catch (AgentException e) {
            return error(response, e.kind().name(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("request {} failed", request.path("op").asText(), e);
            return error(response, Kind.INTERNAL.name(), e.toString());
        }
    }

    private JsonNode dispatch(JsonNode request) {
        String op = request.path("op").asText();
        return switch (op) {
            case AgentProtocol.OP_STATUS -> AgentJson.toJson(switcher.status());
            case AgentProtocol.OP_GENERATIONS -> AgentJson.toJson(switcher.status().generations());
            case AgentProtocol.OP_SWITCH -> AgentJson.toJson(switcher.switchTo(
                    required(request, "toplevel"), SwitchMode.parse(required(request, "mode"))));
            case AgentProtocol.OP_ROLLBACK -> {
                JsonNode g = request.get("generation");
                if (g != null && !g.isNull() && !g.canConvertToInt()) {
                    throw new AgentException(Kind.BAD_REQUEST, "rollback: generation must be an integer, got " + g);
                }
                yield AgentJson.toJson(switcher.rollback(g == null || g.isNull() ? OptionalInt.empty() : OptionalInt.of(g.asInt())));
            }
            default -> throw new AgentException(Kind.BAD_REQUEST, "unknown operation '" + op
                    + "' (expected status, switch, rollback or generations)");
        };
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
