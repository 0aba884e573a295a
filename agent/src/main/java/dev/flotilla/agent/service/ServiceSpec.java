package dev.flotilla.agent.service;

import dev.flotilla.json.Json;
import dev.flotilla.json.JsonArray;
import dev.flotilla.json.JsonObject;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
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

    /**
     * The canonical JSON form: what the hash covers and what the supervisor records. Its bytes must
     * not change (running services are adopted by hash after an agent upgrade), so neither may the
     * order of its fields.
     */
    public JsonObject toJson() {
        JsonObject.Builder env = JsonObject.builder();
        environment.forEach(env::put);
        JsonObject.Builder o = JsonObject.builder().put("name", name).put("shell", shell)
                .put("command", JsonArray.ofStrings(command)).put("environment", env.build());
        workingDirectory.ifPresent(d -> o.put("workingDirectory", d));
        user.ifPresent(u -> o.put("user", u));
        return o.put("restart", restart.manifestName()).put("after", JsonArray.ofStrings(after)).build();
    }

    public static ServiceSpec fromJson(JsonObject o) {
        JsonObject environment = o.object("environment");
        TreeMap<String, String> env = new TreeMap<>();
        for (String variable : environment.members().keySet()) {
            env.put(variable, environment.string(variable));
        }
        return new ServiceSpec(o.string("name"), o.array("command").strings(), o.bool("shell"), env,
                o.optString("workingDirectory"), o.optString("user"), Restart.parse(o.string("restart", "on-failure")),
                o.array("after").strings());
    }

    /** Each service's {@code after}, by the same names as {@code services}: for {@link ServiceOrder#startOrder}. */
    public static Map<String, List<String>> afterOf(Map<String, ServiceSpec> services) {
        Map<String, List<String>> after = new HashMap<>();
        for (Map.Entry<String, ServiceSpec> e : services.entrySet()) {
            after.put(e.getKey(), e.getValue().after());
        }
        return after;
    }

    /** SHA-256 of the canonical JSON, hex: equal hashes mean "nothing to restart". */
    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.write(toJson()));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
