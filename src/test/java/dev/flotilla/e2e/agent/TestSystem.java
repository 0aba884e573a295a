package dev.flotilla.e2e.agent;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A system toplevel written by hand in the manifest format of agent/README.md (what the system builder emits). */
final class TestSystem {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private final Map<String, String> etc = new TreeMap<>();
    private final Map<String, Object> checks = new LinkedHashMap<>();
    private final Map<String, Object> services = new TreeMap<>();
    private final Map<String, Object> activation = new TreeMap<>();

    private TestSystem(String host) {
        this.host = host;
    }

    static TestSystem of(String host) {
        return new TestSystem(host);
    }

    String host() {
        return host;
    }

    TestSystem etc(String name, String content) {
        etc.put(name, content);
        return this;
    }

    TestSystem commandCheck(String name, String command) {
        checks.put(name, Map.of("type", "command", "command", command, "timeoutSeconds", 5, "retries", 1, "intervalSeconds", 0));
        return this;
    }

    TestSystem httpCheck(String name, int port, String path, String body) {
        checks.put(name, Map.of("type", "http", "url", "http://127.0.0.1:" + port + path, "expectStatus", 200,
                "expectBody", body, "timeoutSeconds", 2, "retries", 40, "intervalSeconds", 0));
        return this;
    }

    /** A small HTTP server serving {@code R/etc/www} on {@code port}, its definition varying with {@code version}. */
    TestSystem webService(String name, int port, String version) {
        return service(name, Map.of("command", List.of("/usr/bin/python3", "-m", "http.server", String.valueOf(port),
                        "--bind", "127.0.0.1", "--directory", "etc/www"),
                "environment", Map.of("VERSION", version), "restart", "always"));
    }

    TestSystem service(String name, Map<String, Object> spec) {
        services.put(name, spec);
        return this;
    }

    TestSystem activation(String name, String script) {
        activation.put(name, Map.of("script", script, "timeoutSeconds", 10));
        return this;
    }

    String manifestJson() throws IOException {
        Map<String, Object> modes = new TreeMap<>();
        etc.keySet().forEach(n -> modes.put(n, Map.of("mode", "0444")));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 1);
        m.put("host", host);
        m.put("etc", modes);
        m.put("healthChecks", checks);
        m.put("services", services);
        m.put("activation", activation);
        return JSON.writeValueAsString(m);
    }

    Path writeTree(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("manifest.json"), manifestJson());
        for (Map.Entry<String, String> e : etc.entrySet()) {
            Path file = dir.resolve("etc").resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
        }
        return dir;
    }
}
