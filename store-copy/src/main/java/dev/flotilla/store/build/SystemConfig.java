package dev.flotilla.store.build;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The part of an evaluated host configuration that becomes the host's system toplevel. Built from
 * the plain values the evaluator returns (the module system's {@code system} projection, or a
 * plain host.nix's result); every problem names the option path.
 *
 * @param packages store paths (absolute, logical) whose files are linked into {@code sw/}
 */
public record SystemConfig(SortedMap<String, EtcEntry> etc, List<String> packages,
                           SortedMap<String, ServiceSpec> services, SortedMap<String, HealthCheckSpec> healthChecks,
                           SortedMap<String, ActivationScript> activation, SortedMap<String, SecretSpec> secrets) {

    private static final Set<String> TOP_LEVEL = Set.of("environment", "services", "healthChecks", "activation", "secrets", "deployment");

    public SystemConfig {
        etc = sorted(etc);
        packages = List.copyOf(packages);
        services = sorted(services);
        healthChecks = sorted(healthChecks);
        activation = sorted(activation);
        secrets = sorted(secrets);
        Map<String, List<String>> serviceOrder = new TreeMap<>();
        services.forEach((n, sv) -> serviceOrder.put(n, sv.after()));
        ServiceSpec.checkOrdering("services", serviceOrder);
        Map<String, List<String>> scriptOrder = new TreeMap<>();
        activation.forEach((n, a) -> scriptOrder.put(n, a.after()));
        ServiceSpec.checkOrdering("activation.scripts", scriptOrder);
    }

    /** Only {@code /etc} files and health checks (the walking skeleton's configuration). */
    public SystemConfig(SortedMap<String, EtcEntry> etc, SortedMap<String, HealthCheckSpec> healthChecks) {
        this(etc, List.of(), new TreeMap<>(), healthChecks, new TreeMap<>(), new TreeMap<>());
    }

    /**
     * One file that will appear as {@code /etc/<name>} on the host: either its {@code text}, or the
     * contents of {@code source} (a store path, possibly with a path inside it, or — for plain
     * host.nix files — a local file), read when the system is built.
     */
    public record EtcEntry(String name, byte[] text, String source, int mode) {
        public EtcEntry {
            checkEtcName(name);
            if ((text == null) == (source == null)) {
                throw new ConfigException(etcWhere(name) + ": set exactly one of 'text' or 'source'");
            }
            if ((mode & ~0777) != 0) {
                throw new ConfigException(etcWhere(name) + ".mode: " + Integer.toOctalString(mode) + " is not a permission mode");
            }
        }

        /** A file with the given contents. */
        public EtcEntry(String name, byte[] content, int mode) {
            this(name, content, null, mode);
        }

        public boolean executable() {
            return (mode & 0100) != 0;
        }
    }

    /** Reads the configuration; {@code config} is the evaluator's plain-Java result (maps, lists, strings, numbers). */
    public static SystemConfig fromValue(Object config) {
        Map<String, Object> top = Values.map(config, "the configuration");
        for (String k : top.keySet()) {
            if (!TOP_LEVEL.contains(k)) {
                throw new ConfigException(k + ": unknown option; known top-level options are " + new java.util.TreeSet<>(TOP_LEVEL));
            }
        }
        SortedMap<String, EtcEntry> etc = new TreeMap<>();
        List<String> packages = List.of();
        Object environment = top.get("environment");
        if (environment != null) {
            Map<String, Object> env = Values.map(environment, "environment");
            Values.onlyKeys(env, Set.of("etc", "packages"), "environment");
            if (env.get("etc") != null) {
                Values.map(env.get("etc"), "environment.etc").forEach((name, v) -> etc.put(name, etcEntry(name, v)));
            }
            if (env.get("packages") != null) {
                packages = Values.strings(env.get("packages"), "environment.packages");
                for (int i = 0; i < packages.size(); i++) {
                    if (!packages.get(i).startsWith("/")) {
                        throw new ConfigException("environment.packages[" + (i + 1) + "]: expected a store path, got \"" + packages.get(i) + "\"");
                    }
                }
            }
        }
        SortedMap<String, ServiceSpec> services = new TreeMap<>();
        each(top, "services", (name, v) -> services.put(name, ServiceSpec.fromValue(name, v)));
        SortedMap<String, HealthCheckSpec> checks = new TreeMap<>();
        each(top, "healthChecks", (name, v) -> checks.put(name, HealthCheckSpec.fromValue(name, v)));
        SortedMap<String, ActivationScript> activation = new TreeMap<>();
        Object act = top.get("activation");
        if (act != null) {
            Map<String, Object> a = Values.map(act, "activation");
            Values.onlyKeys(a, Set.of("scripts"), "activation");
            each(a, "activation.scripts", "scripts", (name, v) -> activation.put(name, ActivationScript.fromValue(name, v)));
        }
        SortedMap<String, SecretSpec> secrets = new TreeMap<>();
        each(top, "secrets", (name, v) -> {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new ConfigException("secrets." + Values.attr(name) + ": a secret's name uses letters, digits, '.', '_' and '-'");
            }
            secrets.put(name, SecretSpec.fromValue(name, v));
        });
        return new SystemConfig(etc, packages, services, checks, activation, secrets);
    }

    private static void each(Map<String, Object> m, String key, java.util.function.BiConsumer<String, Object> f) {
        each(m, key, key, f);
    }

    private static void each(Map<String, Object> m, String where, String key, java.util.function.BiConsumer<String, Object> f) {
        Object v = m.get(key);
        if (v != null) {
            Values.map(v, where).forEach(f);
        }
    }

    private static EtcEntry etcEntry(String name, Object value) {
        String where = etcWhere(name);
        checkEtcName(name);
        Map<String, Object> m = Values.map(value, where);
        Values.onlyKeys(m, Set.of("text", "source", "mode"), where);
        Object text = m.get("text");
        Object source = m.get("source");
        if ((text == null) == (source == null)) {
            throw new ConfigException(where + ": set exactly one of 'text' or 'source'");
        }
        Object mode = m.get("mode");
        return new EtcEntry(name,
                text == null ? null : Values.string(text, where + ".text").getBytes(StandardCharsets.UTF_8),
                source == null ? null : Values.string(source, where + ".source"),
                mode == null ? 0444 : Values.mode(mode, where + ".mode"));
    }

    static String etcWhere(String name) {
        return "environment.etc.\"" + name + "\"";
    }

    static void checkEtcName(String name) {
        String[] parts = name.split("/", -1);
        // 'static' is where the agent links the generation's etc tree (NixOS's /etc/static).
        boolean bad = name.isEmpty() || name.indexOf('\0') >= 0 || parts[0].equals("static")
                || java.util.Arrays.stream(parts).anyMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."));
        if (bad) {
            throw new ConfigException(etcWhere(name)
                    + ": a file name must be a relative path without '.', '..' or empty parts, and not under 'static'");
        }
    }

    // Kept for callers of the walking skeleton's API.
    static Map<String, Object> map(Object value, String where) {
        return Values.map(value, where);
    }

    static String string(Object value, String where) {
        return Values.string(value, where);
    }

    static long integer(Object value, String where, long min, long max) {
        return Values.integer(value, where, min, max);
    }

    private static <V> SortedMap<String, V> sorted(Map<String, V> m) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(m));
    }
}
