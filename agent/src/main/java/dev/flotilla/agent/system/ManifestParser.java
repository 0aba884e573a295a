package dev.flotilla.agent.system;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.agent.service.ServiceSpec;
import dev.flotilla.json.Json;
import dev.flotilla.json.JsonArray;
import dev.flotilla.json.JsonException;
import dev.flotilla.json.JsonObject;
import dev.flotilla.json.JsonValue;
import dev.flotilla.json.JsonValue.JsonNull;
import dev.flotilla.json.JsonValue.JsonNumber;
import dev.flotilla.json.JsonValue.JsonString;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Reads {@code manifest.json}; every error names the file and the JSON path of the bad value. */
public final class ManifestParser {
    private static final Set<String> TOP = Set.of("version", "host", "etc", "healthChecks", "services", "activation",
            "secrets", "sw");

    private static final Set<String> SERVICE_FIELDS = Set.of("command", "environment", "workingDirectory", "user",
            "restart", "after");

    private ManifestParser() {
    }

    /** Reads {@code <toplevel>/manifest.json}. */
    public static Manifest read(Path toplevel) {
        Path file = toplevel.resolve("manifest.json");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new AgentException(Kind.BAD_MANIFEST, file + ": missing; is this a Flotilla system toplevel?");
        } catch (IOException e) {
            throw new AgentException(Kind.BAD_MANIFEST, file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    /** Parses manifest text; {@code source} names it in errors. */
    public static Manifest parse(String source, String text) {
        JsonValue root;
        try {
            root = Json.parse(text);
        } catch (JsonException e) {
            throw new AgentException(Kind.BAD_MANIFEST, source + ":" + e.line() + ":" + e.column() + ": invalid JSON: " + e.reason(), e);
        }
        try {
            return manifest(root);
        } catch (IllegalArgumentException e) {
            throw new AgentException(Kind.BAD_MANIFEST, source + ": " + e.getMessage(), e);
        }
    }

    private static Manifest manifest(JsonValue top) {
        JsonObject root = requireObject(top, "(top level)");
        for (String field : root.members().keySet()) {
            if (!TOP.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "' (expected one of version, host, etc, healthChecks, services, activation, secrets, sw)");
            }
        }
        int version = intField(root, "version", "version", null);
        String host = textField(root, "host", "host", "");
        TreeMap<String, Manifest.EtcEntry> etc = new TreeMap<>();
        for (Map.Entry<String, JsonValue> e : objectEntries(root, "etc")) {
            String path = "etc." + e.getKey();
            JsonObject entry = requireObject(e.getValue(), path);
            try {
                etc.put(e.getKey(), new Manifest.EtcEntry(e.getKey(), textField(entry, "mode", path + ".mode", "0444")));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(path + ": " + ex.getMessage(), ex);
            }
        }
        List<HealthCheck> checks = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e : objectEntries(root, "healthChecks")) {
            String path = "healthChecks." + e.getKey();
            try {
                checks.add(check(e.getKey(), e.getValue(), path));
            } catch (IllegalArgumentException ex) {
                throw ex.getMessage().startsWith(path) ? ex : new IllegalArgumentException(path + ": " + ex.getMessage(), ex);
            }
        }
        TreeMap<String, ServiceSpec> services = new TreeMap<>();
        for (Map.Entry<String, JsonValue> e : objectEntries(root, "services")) {
            String path = "services." + e.getKey();
            services.put(e.getKey(), wrap(path, () -> service(e.getKey(), e.getValue(), path)));
        }
        List<ActivationScript> activation = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e : objectEntries(root, "activation")) {
            String path = "activation." + e.getKey();
            activation.add(wrap(path, () -> {
                JsonObject script = requireObject(e.getValue(), path);
                return new ActivationScript(e.getKey(), textField(script, "script", path + ".script", null),
                        Duration.ofSeconds(intField(script, "timeoutSeconds", path + ".timeoutSeconds",
                                (int) ActivationScript.DEFAULT_TIMEOUT.toSeconds())),
                        stringList(script, "after", path + ".after"));
            }));
        }
        TreeMap<String, SecretSpec> secrets = new TreeMap<>();
        for (Map.Entry<String, JsonValue> e : objectEntries(root, "secrets")) {
            String path = "secrets." + e.getKey();
            secrets.put(e.getKey(), wrap(path, () -> {
                JsonObject s = requireObject(e.getValue(), path);
                return new SecretSpec(e.getKey(), textField(s, "path", path + ".path", null),
                        textField(s, "owner", path + ".owner", "root"),
                        Optional.ofNullable(textField(s, "group", path + ".group", "")).filter(g -> !g.isEmpty()),
                        textField(s, "mode", path + ".mode", "0400"));
            }));
        }
        return new Manifest(version, host, etc, checks, services, activation, secrets);
    }

    private static <T> T wrap(String path, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException ex) {
            throw ex.getMessage() != null && ex.getMessage().startsWith(path) ? ex
                    : new IllegalArgumentException(path + ": " + ex.getMessage(), ex);
        }
    }

    private static ServiceSpec service(String name, JsonValue value, String path) {
        JsonObject node = requireObject(value, path);
        for (String f : node.members().keySet()) {
            if (!SERVICE_FIELDS.contains(f)) {
                throw new IllegalArgumentException(path + ": unknown field '" + f
                        + "' (expected command, environment, workingDirectory, user, restart, after)");
            }
        }
        JsonValue command = node.get("command").orElse(JsonValue.NULL);
        List<String> argv;
        boolean shell;
        if (command instanceof JsonString s) {
            argv = List.of(s.value());
            shell = true;
        } else if (command instanceof JsonArray) {
            argv = stringList(node, "command", path + ".command");
            shell = false;
        } else {
            throw new IllegalArgumentException(path + ".command: expected a string or a list of strings");
        }
        TreeMap<String, String> env = new TreeMap<>();
        for (Map.Entry<String, JsonValue> e : objectEntries(node, "environment")) {
            if (!(e.getValue() instanceof JsonString s)) {
                throw new IllegalArgumentException(path + ".environment." + e.getKey() + ": expected a string, got " + e.getValue());
            }
            env.put(e.getKey(), s.value());
        }
        return new ServiceSpec(name, argv, shell, env,
                Optional.ofNullable(textField(node, "workingDirectory", path + ".workingDirectory", "")).filter(s -> !s.isEmpty()),
                Optional.ofNullable(textField(node, "user", path + ".user", "")).filter(s -> !s.isEmpty()),
                ServiceSpec.Restart.parse(textField(node, "restart", path + ".restart", "on-failure")),
                stringList(node, "after", path + ".after"));
    }

    private static List<String> stringList(JsonObject parent, String field, String path) {
        JsonValue node = parent.get(field).orElse(JsonValue.NULL);
        if (node instanceof JsonNull) {
            return List.of();
        }
        if (!(node instanceof JsonArray array)) {
            throw new IllegalArgumentException(path + ": expected a list of strings, got " + node);
        }
        List<String> out = new ArrayList<>();
        for (JsonValue n : array) {
            if (!(n instanceof JsonString s)) {
                throw new IllegalArgumentException(path + ": expected a list of strings, got " + node);
            }
            out.add(s.value());
        }
        return out;
    }

    private static HealthCheck check(String name, JsonValue value, String path) {
        JsonObject node = requireObject(value, path);
        HealthCheck.Policy defaults = HealthCheck.Policy.DEFAULT;
        HealthCheck.Policy policy = new HealthCheck.Policy(
                Duration.ofSeconds(intField(node, "timeoutSeconds", path + ".timeoutSeconds", (int) defaults.timeout().toSeconds())),
                intField(node, "retries", path + ".retries", defaults.attempts()),
                Duration.ofSeconds(intField(node, "intervalSeconds", path + ".intervalSeconds", (int) defaults.interval().toSeconds())));
        String type = textField(node, "type", path + ".type", null);
        return switch (type) {
            case "command" -> new HealthCheck.Command(name, textField(node, "command", path + ".command", null), policy);
            case "http" -> new HealthCheck.Http(name, uri(textField(node, "url", path + ".url", null), path + ".url"),
                    intField(node, "expectStatus", path + ".expectStatus", 200),
                    Optional.ofNullable(textField(node, "expectBody", path + ".expectBody", "")).filter(s -> !s.isEmpty()),
                    policy);
            case "tcp" -> new HealthCheck.Tcp(name, textField(node, "host", path + ".host", null),
                    intField(node, "port", path + ".port", null), policy);
            default -> throw new IllegalArgumentException(path + ".type: unknown check type '" + type
                    + "' (expected command, http or tcp)");
        };
    }

    private static URI uri(String text, String path) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(path + ": not a URL: " + e.getMessage(), e);
        }
    }

    private static Iterable<Map.Entry<String, JsonValue>> objectEntries(JsonObject parent, String field) {
        JsonValue node = parent.get(field).orElse(JsonValue.NULL);
        if (node instanceof JsonNull) {
            return List.of();
        }
        return requireObject(node, field).members().entrySet();
    }

    private static JsonObject requireObject(JsonValue node, String path) {
        if (!(node instanceof JsonObject o)) {
            throw new IllegalArgumentException(path + ": expected an object, got " + node.typeName());
        }
        return o;
    }

    private static String textField(JsonObject parent, String field, String path, String fallback) {
        JsonValue node = parent.get(field).orElse(JsonValue.NULL);
        if (node instanceof JsonNull) {
            if (fallback == null) {
                throw new IllegalArgumentException(path + ": missing");
            }
            return fallback;
        }
        if (!(node instanceof JsonString s)) {
            throw new IllegalArgumentException(path + ": expected a string, got " + node);
        }
        return s.value();
    }

    private static int intField(JsonObject parent, String field, String path, Integer fallback) {
        JsonValue node = parent.get(field).orElse(JsonValue.NULL);
        if (node instanceof JsonNull) {
            if (fallback == null) {
                throw new IllegalArgumentException(path + ": missing");
            }
            return fallback;
        }
        if (!(node instanceof JsonNumber n) || !n.isLong() || n.longValue() != (int) n.longValue()) {
            throw new IllegalArgumentException(path + ": expected an integer, got " + node);
        }
        return (int) n.longValue();
    }
}
