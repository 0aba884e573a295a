package dev.flotilla.store.build;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A health check as declared in a host configuration, in one of three forms:
 * {@code { command = "..."; }}, {@code { http = "http://..."; expectStatus = 200; expectBody = "ok"; }}
 * or {@code { tcp = "host:port"; }}; each with optional {@code timeoutSeconds}, {@code retries}
 * and {@code intervalSeconds}.
 */
public sealed interface HealthCheckSpec {

    Timing timing();

    record Timing(int timeoutSeconds, int retries, int intervalSeconds) {}

    record Command(String command, Timing timing) implements HealthCheckSpec {}

    record Http(String url, int expectStatus, String expectBody, Timing timing) implements HealthCheckSpec {}

    record Tcp(String host, int port, Timing timing) implements HealthCheckSpec {}

    Set<String> KINDS = Set.of("command", "http", "tcp");
    Set<String> COMMON = Set.of("timeoutSeconds", "retries", "intervalSeconds");

    static HealthCheckSpec fromValue(String name, Object value) {
        String where = "healthChecks." + name;
        Map<String, Object> m = SystemConfig.map(value, where);
        var kinds = m.keySet().stream().filter(KINDS::contains).toList();
        if (kinds.size() != 1) {
            throw new ConfigException(where + ": set exactly one of 'command', 'http' or 'tcp'");
        }
        String kind = kinds.getFirst();
        Set<String> allowed = new java.util.HashSet<>(COMMON);
        allowed.add(kind);
        if (kind.equals("http")) {
            allowed.addAll(Set.of("expectStatus", "expectBody"));
        }
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw new ConfigException(where + "." + k + ": unknown option for a " + kind + " check; known: " + new java.util.TreeSet<>(allowed));
            }
        }
        Timing timing = new Timing(
                (int) opt(m, "timeoutSeconds", where, 10, 1, 3600),
                (int) opt(m, "retries", where, 3, 1, 1000),
                (int) opt(m, "intervalSeconds", where, 1, 0, 3600));
        return switch (kind) {
            case "command" -> new Command(SystemConfig.string(m.get("command"), where + ".command"), timing);
            case "http" -> {
                String url = SystemConfig.string(m.get("http"), where + ".http");
                if (!url.startsWith("http://") && !url.startsWith("https://")) {
                    throw new ConfigException(where + ".http: expected an http:// or https:// URL, got \"" + url + "\"");
                }
                Object body = m.get("expectBody");
                yield new Http(url, (int) opt(m, "expectStatus", where, 200, 100, 599),
                        body == null ? null : SystemConfig.string(body, where + ".expectBody"), timing);
            }
            case "tcp" -> {
                String target = SystemConfig.string(m.get("tcp"), where + ".tcp");
                int colon = target.lastIndexOf(':');
                if (colon <= 0 || !target.substring(colon + 1).matches("\\d{1,5}")) {
                    throw new ConfigException(where + ".tcp: expected \"host:port\", got \"" + target + "\"");
                }
                int port = Integer.parseInt(target.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new ConfigException(where + ".tcp: port " + port + " is outside 1..65535");
                }
                yield new Tcp(target.substring(0, colon), port, timing);
            }
            default -> throw new IllegalStateException(kind);
        };
    }

    private static long opt(Map<String, Object> m, String key, String where, long dflt, long min, long max) {
        Object v = m.get(key);
        return v == null ? dflt : SystemConfig.integer(v, where + "." + key, min, max);
    }

    /** The manifest form the agent reads (see agent/README.md). */
    default Map<String, Object> toManifest() {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (this) {
            case Command c -> {
                out.put("type", "command");
                out.put("command", c.command());
            }
            case Http h -> {
                out.put("type", "http");
                out.put("url", h.url());
                out.put("expectStatus", h.expectStatus());
                if (h.expectBody() != null) {
                    out.put("expectBody", h.expectBody());
                }
            }
            case Tcp t -> {
                out.put("type", "tcp");
                out.put("host", t.host());
                out.put("port", t.port());
            }
        }
        out.put("timeoutSeconds", timing().timeoutSeconds());
        out.put("retries", timing().retries());
        out.put("intervalSeconds", timing().intervalSeconds());
        return out;
    }
}
