package dev.flotilla.store.build;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The part of an evaluated host configuration that becomes the host's system toplevel.
 * Built from the plain values the evaluator returns; every problem names the option path.
 */
public record SystemConfig(SortedMap<String, EtcEntry> etc, SortedMap<String, HealthCheckSpec> healthChecks) {

    private static final Set<String> TOP_LEVEL = Set.of("environment", "healthChecks");

    public SystemConfig {
        etc = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(etc));
        healthChecks = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(healthChecks));
    }

    /** One file that will appear as {@code /etc/<name>} on the host. */
    public record EtcEntry(String name, byte[] content, int mode) {
        public EtcEntry {
            checkEtcName(name);
            if ((mode & ~0777) != 0) {
                throw new ConfigException("environment.etc.\"" + name + "\".mode: " + Integer.toOctalString(mode) + " is not a permission mode");
            }
        }

        public boolean executable() {
            return (mode & 0100) != 0;
        }
    }

    /** Reads the configuration; {@code config} is the evaluator's plain-Java result (maps, lists, strings, numbers). */
    public static SystemConfig fromValue(Object config) {
        Map<String, Object> top = map(config, "the configuration");
        for (String k : top.keySet()) {
            if (!TOP_LEVEL.contains(k)) {
                throw new ConfigException(k + ": unknown option; known top-level options are " + new java.util.TreeSet<>(TOP_LEVEL));
            }
        }
        SortedMap<String, EtcEntry> etc = new TreeMap<>();
        Object environment = top.get("environment");
        if (environment != null) {
            Map<String, Object> env = map(environment, "environment");
            for (String k : env.keySet()) {
                if (!k.equals("etc")) {
                    throw new ConfigException("environment." + k + ": unknown option; known: environment.etc");
                }
            }
            Object etcValue = env.get("etc");
            if (etcValue != null) {
                map(etcValue, "environment.etc").forEach((name, v) -> etc.put(name, etcEntry(name, v)));
            }
        }
        SortedMap<String, HealthCheckSpec> checks = new TreeMap<>();
        Object hc = top.get("healthChecks");
        if (hc != null) {
            map(hc, "healthChecks").forEach((name, v) -> checks.put(name, HealthCheckSpec.fromValue(name, v)));
        }
        return new SystemConfig(etc, checks);
    }

    private static EtcEntry etcEntry(String name, Object value) {
        String where = "environment.etc.\"" + name + "\"";
        checkEtcName(name);
        Map<String, Object> m = map(value, where);
        for (String k : m.keySet()) {
            if (!Set.of("text", "source", "mode").contains(k)) {
                throw new ConfigException(where + "." + k + ": unknown option; known: text, source, mode");
            }
        }
        Object text = m.get("text");
        Object source = m.get("source");
        if ((text == null) == (source == null)) {
            throw new ConfigException(where + ": set exactly one of 'text' or 'source'");
        }
        byte[] content;
        if (text != null) {
            content = string(text, where + ".text").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else {
            java.nio.file.Path p = java.nio.file.Path.of(string(source, where + ".source"));
            try {
                content = java.nio.file.Files.readAllBytes(p);
            } catch (java.io.IOException e) {
                throw new ConfigException(where + ".source: cannot read " + p + ": " + e.getMessage());
            }
        }
        int mode = 0444;
        Object modeValue = m.get("mode");
        if (modeValue != null) {
            String s = string(modeValue, where + ".mode");
            if (!s.matches("0?[0-7]{3}")) {
                throw new ConfigException(where + ".mode: expected an octal mode like \"0444\", got \"" + s + "\"");
            }
            mode = Integer.parseInt(s, 8);
        }
        return new EtcEntry(name, content, mode);
    }

    static void checkEtcName(String name) {
        String[] parts = name.split("/", -1);
        // 'static' is where the agent links the generation's etc tree (NixOS's /etc/static).
        boolean bad = name.isEmpty() || name.indexOf('\0') >= 0 || parts[0].equals("static")
                || java.util.Arrays.stream(parts).anyMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."));
        if (bad) {
            throw new ConfigException("environment.etc.\"" + name
                    + "\": a file name must be a relative path without '.', '..' or empty parts, and not under 'static'");
        }
    }

    static Map<String, Object> map(Object value, String where) {
        if (value instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) m;
            return typed;
        }
        throw new ConfigException(where + ": expected an attribute set, got " + describe(value));
    }

    static String string(Object value, String where) {
        if (value instanceof String s) {
            return s;
        }
        throw new ConfigException(where + ": expected a string, got " + describe(value));
    }

    static long integer(Object value, String where, long min, long max) {
        if (value instanceof Long l && l >= min && l <= max) {
            return l;
        }
        if (value instanceof Long l) {
            throw new ConfigException(where + ": " + l + " is outside " + min + ".." + max);
        }
        throw new ConfigException(where + ": expected an integer, got " + describe(value));
    }

    static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "the string \"" + s + "\"";
            case Long l -> "the integer " + l;
            case Double d -> "the float " + d;
            case Boolean b -> "the Boolean " + b;
            case List<?> l -> "a list";
            case Map<?, ?> m -> "an attribute set";
            default -> value.getClass().getSimpleName();
        };
    }
}
