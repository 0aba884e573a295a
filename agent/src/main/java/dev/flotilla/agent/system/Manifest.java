package dev.flotilla.agent.system;

import dev.flotilla.agent.service.ServiceSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A system toplevel's {@code manifest.json}: the host it was built for, the {@code /etc} entries it
 * provides (each a regular file at {@code <toplevel>/etc/<name>}), its health checks, services,
 * activation scripts and the secrets it expects.
 */
public record Manifest(int version, String host, SortedMap<String, EtcEntry> etc, List<HealthCheck> healthChecks,
                       SortedMap<String, ServiceSpec> services, List<ActivationScript> activation,
                       SortedMap<String, SecretSpec> secrets) {
    public static final int VERSION = 1;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_@%+=:,.-]+");

    /** An empty system: no etc entries, no checks (what "nothing activated" looks like). */
    public static final Manifest EMPTY = new Manifest(VERSION, "", new TreeMap<>(), List.of());

    public Manifest(int version, String host, SortedMap<String, EtcEntry> etc, List<HealthCheck> healthChecks) {
        this(version, host, etc, healthChecks, new TreeMap<>(), List.of(), new TreeMap<>());
    }

    public Manifest {
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported manifest version " + version + " (this agent reads " + VERSION + ")");
        }
        Objects.requireNonNull(host, "host");
        for (String name : etc.keySet()) {
            checkEtcName(name);
        }
        etc = Collections.unmodifiableSortedMap(new TreeMap<>(etc));
        healthChecks = List.copyOf(healthChecks);
        services = Collections.unmodifiableSortedMap(new TreeMap<>(services));
        for (ServiceSpec spec : services.values()) {
            for (String a : spec.after()) {
                if (!services.containsKey(a) && !a.contains(".")) {
                    throw new IllegalArgumentException("services." + spec.name() + ".after: no service named '" + a + "'");
                }
            }
        }
        dev.flotilla.agent.service.ServiceOrder.startOrder(ServiceSpec.afterOf(services));   // refuses a cycle
        activation = List.copyOf(activation);
        secrets = Collections.unmodifiableSortedMap(new TreeMap<>(secrets));
        java.util.Set<String> paths = new java.util.HashSet<>();
        for (SecretSpec s : secrets.values()) {
            if (!paths.add(s.path())) {
                throw new IllegalArgumentException("secrets." + s.name() + ": another secret already goes to " + s.path());
            }
        }
    }

    /** The activation scripts in run order ({@code after} first, then by name). */
    public List<ActivationScript> activationOrder() {
        Map<String, ActivationScript> byName = new LinkedHashMap<>();
        Map<String, List<String>> afterOf = new LinkedHashMap<>();
        for (ActivationScript a : activation) {
            byName.put(a.name(), a);
            afterOf.put(a.name(), a.after());
        }
        List<ActivationScript> ordered = new ArrayList<>();
        for (String name : dev.flotilla.agent.service.ServiceOrder.startOrder(afterOf)) {
            ordered.add(byName.get(name));
        }
        return List.copyOf(ordered);
    }

    /**
     * One managed {@code /etc} entry.
     *
     * @param name relative name, e.g. {@code app/app.conf}
     * @param mode the octal mode of the store file, e.g. {@code 0444} (informational: the entry is a symlink)
     */
    public record EtcEntry(String name, String mode) {
        public EtcEntry {
            checkEtcName(name);
            if (mode == null || !mode.matches("0?[0-7]{3,4}")) {
                throw new IllegalArgumentException("etc entry '" + name + "': mode must be octal like \"0444\", got " + mode);
            }
        }
    }

    /** Relative, '/'-separated, no empty, '.' or '..' segments, not {@code static} (reserved). */
    static void checkEtcName(String name) {
        if (name == null || name.isEmpty() || name.startsWith("/") || name.endsWith("/")) {
            throw new IllegalArgumentException("etc entry name must be a relative path, got '" + name + "'");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..") || !SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("etc entry name '" + name + "' has an invalid segment '" + segment + "'");
            }
        }
        if (name.equals("static") || name.startsWith("static/")) {
            throw new IllegalArgumentException("etc entry name '" + name + "' is reserved (etc/static is the agent's)");
        }
    }

    public Map<String, HealthCheck> checksByName() {
        Map<String, HealthCheck> byName = new LinkedHashMap<>();
        for (HealthCheck c : healthChecks) {
            byName.put(c.name(), c);
        }
        return byName;
    }
}
