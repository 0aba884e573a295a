package dev.flotilla.agent.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One service of a system's manifest ({@code "services":{"<name>":{…}}}, see agent/README.md).
 *
 * @param name             [A-Za-z0-9_.@-]+, unique in the system
 * @param command          argv; a manifest string {@code "…"} becomes {@code /bin/sh -c "…"} ({@link #shell} true)
 * @param shell            whether the manifest gave the command as one shell string
 * @param environment      extra environment variables
 * @param workingDirectory absolute (logical) directory, if any; default: the root
 * @param user             account to run as, if any (the agent must run as root to switch)
 * @param restart          what to do when the process exits
 * @param after            services (or, for systemd, other units) this one starts after
 */
public record ServiceSpec(String name, List<String> command, boolean shell, SortedMap<String, String> environment,
                          Optional<String> workingDirectory, Optional<String> user, Restart restart, List<String> after) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The restart policy, as systemd spells it. */
    public enum Restart {
        ALWAYS, ON_FAILURE, NO;

        public String manifestName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Restart parse(String text) {
            for (Restart r : values()) {
                if (r.manifestName().equals(text)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("restart must be always, on-failure or no, got '" + text + "'");
        }
    }

    public ServiceSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("service name must match [A-Za-z0-9_.@-]+, got '" + name + "'");
        }
        command = List.copyOf(command);
        if (command.isEmpty() || command.getFirst().isBlank()) {
            throw new IllegalArgumentException("command must not be empty");
        }
        environment = Collections.unmodifiableSortedMap(new TreeMap<>(environment));
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("environment variable name '" + e.getKey() + "' is invalid");
            }
            if (e.getValue().indexOf('\n') >= 0 || e.getValue().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment." + e.getKey() + " must be one line");
            }
        }
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        workingDirectory.ifPresent(d -> {
            if (!d.startsWith("/") || d.contains("/../") || d.endsWith("/..")) {
                throw new IllegalArgumentException("workingDirectory must be an absolute path, got '" + d + "'");
            }
        });
        Objects.requireNonNull(user, "user");
        user.ifPresent(u -> {
            if (!u.matches("[a-z_][a-z0-9_.-]*\\$?|[0-9]+")) {
                throw new IllegalArgumentException("user '" + u + "' is not a valid account name");
            }
        });
        Objects.requireNonNull(restart, "restart");
        after = List.copyOf(after);
    }

    /** The canonical JSON form: what the hash covers and what the supervisor records. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode().put("name", name).put("shell", shell);
        ArrayNode argv = o.putArray("command");
        command.forEach(argv::add);
        ObjectNode env = o.putObject("environment");
        environment.forEach(env::put);
        workingDirectory.ifPresent(d -> o.put("workingDirectory", d));
        user.ifPresent(u -> o.put("user", u));
        o.put("restart", restart.manifestName());
        ArrayNode a = o.putArray("after");
        after.forEach(a::add);
        return o;
    }

    public static ServiceSpec fromJson(JsonNode o) {
        List<String> argv = new ArrayList<>();
        o.path("command").forEach(n -> argv.add(n.asText()));
        TreeMap<String, String> env = new TreeMap<>();
        o.path("environment").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        List<String> after = new ArrayList<>();
        o.path("after").forEach(n -> after.add(n.asText()));
        return new ServiceSpec(o.path("name").asText(), argv, o.path("shell").asBoolean(), env,
                Optional.ofNullable(o.get("workingDirectory")).map(JsonNode::asText),
                Optional.ofNullable(o.get("user")).map(JsonNode::asText),
                Restart.parse(o.path("restart").asText("on-failure")), after);
    }

    /** SHA-256 of the canonical JSON, hex: equal hashes mean "nothing to restart". */
    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(JSON.writeValueAsString(toJson()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
