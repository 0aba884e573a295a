package dev.flotilla.store.build;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A secret the host needs ({@code secrets.<name>}): only where it goes and who may read it. Its
 * content is delivered by the agent at activation and never enters the store, so a configuration
 * that tries to give it one is refused.
 */
public record SecretSpec(String name, String path, String owner, String group, int mode) {
    public static final String DEFAULT_DIR = "/run/flotilla/secrets/";

    private static final Set<String> KEYS = Set.of("path", "owner", "group", "mode");
    private static final Set<String> CONTENT = Set.of("text", "content", "value", "source", "file");

    public SecretSpec {
        String where = "secrets." + Values.attr(name);
        if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..")) {
            throw new ConfigException(where + ".path: expected an absolute path, got \"" + path + "\"");
        }
        if (path.startsWith("/flotilla/") || path.startsWith("/etc/static/")) {
            throw new ConfigException(where + ".path: " + path + " is inside Flotilla's own directories");
        }
        if (owner.isBlank() || (group != null && group.isBlank())) {
            throw new ConfigException(where + ".owner: must not be empty");
        }
        if ((mode & ~0777) != 0) {
            throw new ConfigException(where + ".mode: " + Integer.toOctalString(mode) + " is not a permission mode");
        }
    }

    static SecretSpec fromValue(String name, Object value) {
        String where = "secrets." + Values.attr(name);
        Map<String, Object> m = Values.map(value, where);
        for (String k : m.keySet()) {
            if (CONTENT.contains(k)) {
                throw new ConfigException(where + "." + k + ": a secret's content never goes into the configuration"
                        + " (it would end up in the store); declare only path, owner and mode, and deliver the content with the agent");
            }
        }
        Values.onlyKeys(m, KEYS, where);
        String path = Values.optionalString(m, "path", where);
        String owner = Values.optionalString(m, "owner", where);
        Object mode = m.get("mode");
        return new SecretSpec(name, path == null ? DEFAULT_DIR + name : path, owner == null ? "root" : owner,
                Values.optionalString(m, "group", where), mode == null ? 0400 : Values.mode(mode, where + ".mode"));
    }

    Map<String, Object> toManifest() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", path);
        out.put("owner", owner);
        if (group != null) {
            out.put("group", group);
        }
        out.put("mode", Values.showMode(mode));
        return out;
    }
}
