package dev.flotilla.store.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A long-running process the host's agent supervises ({@code services.<name>}).
 *
 * @param command          one string run by {@code /bin/sh -c} ({@code shell}), or an argv run directly; in the foreground
 * @param environment      the service's whole environment
 * @param workingDirectory null: the agent's choice
 * @param user             null: the agent's user
 * @param after            services of the same host started before this one
 */
public record ServiceSpec(String name, List<String> command, boolean shell, SortedMap<String, String> environment,
                          String workingDirectory, String user, Restart restart, List<String> after) {

    public enum Restart {
        ALWAYS("always"), ON_FAILURE("on-failure"), NO("no");

        private final String text;

        Restart(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        static Restart parse(String s, String where) {
            for (Restart r : values()) {
                if (r.text.equals(s)) {
                    return r;
                }
            }
            throw new ConfigException(where + ": expected one of \"always\", \"on-failure\", \"no\", got \"" + s + "\"");
        }
    }

    private static final Set<String> KEYS = Set.of("command", "environment", "workingDirectory", "user", "restart", "after");

    public ServiceSpec {
        command = List.copyOf(command);
        if (command.isEmpty() || command.getFirst().isBlank() || (shell && command.size() != 1)) {
            throw new ConfigException("services." + Values.attr(name) + ".command: must not be empty");
        }
        if (workingDirectory != null && !workingDirectory.startsWith("/")) {
            throw new ConfigException("services." + Values.attr(name) + ".workingDirectory: expected an absolute path, got \"" + workingDirectory + "\"");
        }
        environment = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(environment));
        after = List.copyOf(after);
    }

    static ServiceSpec fromValue(String name, Object value) {
        String where = "services." + Values.attr(name);
        Map<String, Object> m = Values.map(value, where);
        Values.onlyKeys(m, KEYS, where);
        if (m.get("command") == null) {
            throw new ConfigException(where + ".command: is not defined");
        }
        SortedMap<String, String> env = new TreeMap<>();
        Object envValue = m.get("environment");
        if (envValue != null) {
            Values.map(envValue, where + ".environment").forEach((k, v) -> {
                String at = where + ".environment." + Values.attr(k);
                if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new ConfigException(at + ": not a valid environment variable name");
                }
                env.put(k, v instanceof Long l ? Long.toString(l) : Values.string(v, at));
            });
        }
        Object restart = m.get("restart");
        List<String> after = m.get("after") == null ? List.of() : Values.strings(m.get("after"), where + ".after");
        Object command = m.get("command");
        boolean shell = command instanceof String;
        List<String> argv = shell ? List.of((String) command) : Values.strings(command, where + ".command");
        return new ServiceSpec(name, argv, shell, env,
                Values.optionalString(m, "workingDirectory", where), Values.optionalString(m, "user", where),
                restart == null ? Restart.ON_FAILURE : Restart.parse(Values.string(restart, where + ".restart"), where + ".restart"),
                after);
    }

    /**
     * Checks that every {@code after} of {@code what} ("services", "activation.scripts") names another
     * entry, and that the ordering has no cycle. Service names with a dot (systemd units such as
     * {@code network-online.target}) are left to the agent.
     */
    static void checkOrdering(String what, Map<String, List<String>> after) {
        for (var e : after.entrySet()) {
            for (String dep : e.getValue()) {
                if (!after.containsKey(dep) && !(what.equals("services") && dep.contains("."))) {
                    throw new ConfigException(what + "." + Values.attr(e.getKey()) + ".after: no " + (what.equals("services") ? "service" : "script")
                            + " named '" + dep + "' on this host (" + what + ": " + String.join(", ", after.keySet()) + ")");
                }
            }
        }
        Map<String, Integer> state = new TreeMap<>();
        for (String n : after.keySet()) {
            visit(what, n, after, state, new ArrayList<>());
        }
    }

    private static void visit(String what, String n, Map<String, List<String>> after, Map<String, Integer> state, List<String> path) {
        Integer st = state.get(n);
        if ((st != null && st == 2) || !after.containsKey(n)) {
            return;
        }
        path.add(n);
        if (st != null) {
            throw new ConfigException(what + ": the 'after' ordering has a cycle: " + String.join(" -> ", path.subList(path.indexOf(n), path.size())));
        }
        state.put(n, 1);
        for (String dep : after.get(n)) {
            visit(what, dep, after, state, path);
        }
        state.put(n, 2);
        path.removeLast();
    }

    /** The manifest form (see agent/README.md). */
    Map<String, Object> toManifest() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", shell ? command.getFirst() : command);
        out.put("environment", environment);
        out.put("workingDirectory", workingDirectory);
        out.put("user", user);
        out.put("restart", restart.text());
        out.put("after", after);
        return out;
    }
}
