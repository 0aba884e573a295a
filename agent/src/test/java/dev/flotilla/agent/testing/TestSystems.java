package dev.flotilla.agent.testing;

import dev.flotilla.agent.system.SystemStore;
import dev.flotilla.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Hand-made system toplevels (manifest.json + etc files) written straight into a root's store dir. */
public final class TestSystems {
    private static final String NIX32 = "0123456789abcdfghijklmnpqrsvwxyz";

    private final String host;
    private final Map<String, String> etc = new TreeMap<>();
    private final Map<String, Object> checks = new LinkedHashMap<>();
    private final Map<String, Object> services = new TreeMap<>();
    private final Map<String, Object> activation = new TreeMap<>();
    private final Map<String, Object> secrets = new TreeMap<>();

    private TestSystems(String host) {
        this.host = host;
    }

    public static TestSystems system(String host) {
        return new TestSystems(host);
    }

    public TestSystems etc(String name, String content) {
        etc.put(name, content);
        return this;
    }

    public TestSystems commandCheck(String name, String command) {
        checks.put(name, Map.of("type", "command", "command", command, "timeoutSeconds", 5, "retries", 2,
                "intervalSeconds", 0));
        return this;
    }

    public TestSystems httpCheck(String name, int port, String path) {
        checks.put(name, Map.of("type", "http", "url", "http://127.0.0.1:" + port + path, "expectStatus", 200,
                "timeoutSeconds", 2, "retries", 20, "intervalSeconds", 0));
        return this;
    }

    /** A service; {@code spec} holds command, environment, restart, after… as in the manifest. */
    public TestSystems service(String name, Map<String, Object> spec) {
        services.put(name, spec);
        return this;
    }

    public TestSystems activation(String name, String script, int timeoutSeconds) {
        activation.put(name, Map.of("script", script, "timeoutSeconds", timeoutSeconds));
        return this;
    }

    public TestSystems secret(String name, String path, String mode) {
        secrets.put(name, Map.of("path", path, "mode", mode));
        return this;
    }

    public String manifestJson() {
        Map<String, Object> etcModes = new TreeMap<>();
        etc.keySet().forEach(n -> etcModes.put(n, Map.of("mode", "0444")));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 1);
        m.put("host", host);
        m.put("etc", etcModes);
        m.put("healthChecks", checks);
        if (!services.isEmpty()) {
            m.put("services", services);
        }
        if (!activation.isEmpty()) {
            m.put("activation", activation);
        }
        if (!secrets.isEmpty()) {
            m.put("secrets", secrets);
        }
        return Json.fromPlain(m).toString();
    }


    /** Writes the toplevel as a plain directory tree (no store registration) under {@code dir}. */
    public Path writeTree(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("manifest.json"), manifestJson());
        for (Map.Entry<String, String> e : etc.entrySet()) {
            Path file = dir.resolve("etc").resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
        }
        return dir;
    }

    /** Writes it as {@code R/flotilla/store/<fake hash>-flotilla-system-<host>}; returns the logical path. */
    public String writeInto(Path root) throws IOException {
        String logical = "/flotilla/store/" + fakeHash(manifestJson() + etc) + "-flotilla-system-" + host;
        writeTree(root.resolve(logical.substring(1)));
        return logical;
    }

    /** A store that holds whatever directories exist under {@code R/flotilla/store}. */
    public static SystemStore directoryStore(Path root) {
        return new SystemStore() {
            @Override
            public String storeDir() {
                return "/flotilla/store";
            }

            @Override
            public boolean isValid(String storePath) {
                return Files.isDirectory(root.resolve(storePath.substring(1)));
            }
        };
    }

    private static String fakeHash(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < 32; i++) {
                out.append(NIX32.charAt((digest[i] & 0xFF) % 32));
            }
            return out.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
