package dev.flotilla.store.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.json.Json;
import dev.flotilla.json.JsonObject;
import dev.flotilla.json.JsonValue;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StorePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemBuilderTest {
    static final SigningKey KEY = SigningKey.fromSeed("test-1", new byte[32]);

    @TempDir
    Path tmp;
    LocalStore store;
    StorePath tool;

    @BeforeEach
    void setUp() throws IOException {
        store = newStore("a");
        tool = addPackage(store, "tool", "bin/tool", "share/doc/tool.txt");
    }

    LocalStore newStore(String name) throws IOException {
        Path root = tmp.resolve(name);
        Files.createDirectories(root);
        return new LocalStore(root, StoreDir.DEFAULT);
    }

    StorePath addPackage(LocalStore s, String name, String... files) throws IOException {
        Path src = tmp.resolve("src-" + name + "-" + System.nanoTime());
        for (String f : files) {
            Path p = src.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "#!/bin/sh\necho " + name + "\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return s.addTree(src, name, Set.of(), KEY).path();
    }

    Map<String, Object> config(String packagePath) {
        return Map.of(
                "environment", Map.of(
                        "etc", Map.of("motd", Map.of("text", "hello\n"), "app/app.conf", Map.of("text", "x=1", "mode", "0640")),
                        "packages", List.of(packagePath)),
                "services", Map.of(
                        "app", Map.of("command", packagePath + "/bin/tool --serve", "environment", Map.of("PORT", "80"),
                                "restart", "always", "after", List.of("db")),
                        "db", Map.of("command", List.of("db-server", "-D", "/var/lib/db"), "user", "postgres", "workingDirectory", "/var/lib/db")),
                "healthChecks", Map.of("app", Map.of("http", "http://127.0.0.1:80/health", "expectBody", "ok")),
                "activation", Map.of("scripts", Map.of("dirs", "mkdir -p /var/lib/db", "slow", Map.of("text", "sleep 1", "timeoutSeconds", 5L, "after", List.of("dirs")))),
                "secrets", Map.of("db-password", Map.of("owner", "postgres", "group", "db")));
    }

    @Test
    void buildsEtcSwAndTheManifestAndFindsReferences() throws IOException {
        PathInfo info = new SystemBuilder(store, KEY).build("web-1", SystemConfig.fromValue(config(tool.absolute())));
        Path top = store.physical(info.path());
        assertEquals("flotilla-system-web-1", info.path().name());
        assertEquals(Set.of(tool), info.references(), "the package is a reference; nothing else is");
        assertEquals("hello\n", Files.readString(top.resolve("etc/motd")));
        assertEquals(tool.absolute() + "/bin/tool", Files.readSymbolicLink(top.resolve("sw/bin/tool")).toString());
        assertEquals(tool.absolute() + "/share/doc/tool.txt", Files.readSymbolicLink(top.resolve("sw/share/doc/tool.txt")).toString());
        assertTrue(KEY.publicKey().verify(info.fingerprint(), info.signatures().iterator().next()));

        JsonObject m = Json.parseObject(Files.readAllBytes(top.resolve("manifest.json")));
        assertEquals("0640", m.object("etc").object("app/app.conf").string("mode"));
        JsonObject app = m.object("services").object("app");
        assertEquals(tool.absolute() + "/bin/tool --serve", app.string("command"));
        assertEquals("80", app.object("environment").string("PORT"));
        assertEquals("always", app.string("restart"));
        assertEquals(List.of("db"), app.array("after").strings());
        assertEquals(Optional.of(JsonValue.NULL), app.get("user"));
        assertEquals(Optional.of(JsonValue.NULL), app.get("workingDirectory"));
        JsonObject db = m.object("services").object("db");
        assertEquals("on-failure", db.string("restart"));
        assertEquals("postgres", db.string("user"));
        assertEquals(List.of("db-server", "-D", "/var/lib/db"), db.array("command").strings(), "a list command stays an argv");
        JsonObject activation = m.object("activation");
        assertEquals(List.of("dirs"), activation.object("slow").array("after").strings());
        assertEquals("mkdir -p /var/lib/db", activation.object("dirs").string("script"));
        assertEquals(60, activation.object("dirs").intValue("timeoutSeconds"));
        assertEquals(5, activation.object("slow").intValue("timeoutSeconds"));
        JsonObject secret = m.object("secrets").object("db-password");
        assertEquals("db", secret.string("group"));
        assertEquals("/run/flotilla/secrets/db-password", secret.string("path"));
        assertEquals("postgres", secret.string("owner"));
        assertEquals("0400", secret.string("mode"));
        assertEquals("http", m.object("healthChecks").object("app").string("type"));
    }

    /**
     * A toplevel's store path hashes its manifest's bytes, and built systems are indexed by a key
     * hashed from JSON: both must stay what they were when Jackson wrote them (these are its bytes),
     * or every host would look changed after an upgrade.
     */
    @Test
    void manifestAndBuildKeyKeepTheirBytes() {
        String pkg = "/flotilla/store/00000000000000000000000000000000-tool";
        SystemConfig config = SystemConfig.fromValue(Map.of(
                "environment", Map.of(
                        "etc", Map.of("motd", Map.of("text", "hello\n"), "app/app.conf", Map.of("text", "x=1", "mode", "0640"),
                                "z\u00e9\ud83d\ude00", Map.of("text", "u")),
                        "packages", List.of(pkg)),
                "services", Map.of(
                        "app", Map.of("command", pkg + "/bin/tool --serve \"q\" \\ \u0001 \u00e9 \ud83d\ude00",
                                "environment", Map.of("PORT", "80", "B", "tab\there"), "restart", "always", "after", List.of("db")),
                        "db", Map.of("command", List.of("db-server", "-D", "/var/lib/db"), "user", "postgres", "workingDirectory", "/var/lib/db")),
                "healthChecks", Map.of("app", Map.of("http", "http://127.0.0.1:80/health", "expectBody", "ok"),
                        "port", Map.of("tcp", "127.0.0.1:5432"), "cmd", Map.of("command", "true", "retries", 3L)),
                "activation", Map.of("scripts", Map.of("dirs", "mkdir -p /var/lib/db",
                        "slow", Map.of("text", "sleep 1", "timeoutSeconds", 5L, "after", List.of("dirs")))),
                "secrets", Map.of("db-password", Map.of("owner", "postgres", "group", "db"), "b", Map.of("mode", "0440"))));
        byte[] manifest = SystemBuilder.manifest("web-1", config);
        assertEquals("""
                {
                  "activation" : {
                    "dirs" : {
                      "after" : [ ],
                      "script" : "mkdir -p /var/lib/db",
                      "timeoutSeconds" : 60
                    },
                    "slow" : {
                      "after" : [ "dirs" ],
                      "script" : "sleep 1",
                      "timeoutSeconds" : 5
                    }
                  },
                  "etc" : {
                    "app/app.conf" : {
                      "mode" : "0640"
                    },
                    "motd" : {
                      "mode" : "0444"
                    },
                    "zé😀" : {
                      "mode" : "0444"
                    }
                  },
                  "healthChecks" : {
                    "app" : {
                      "expectBody" : "ok",
                      "expectStatus" : 200,
                      "intervalSeconds" : 1,
                      "retries" : 3,
                      "timeoutSeconds" : 10,
                      "type" : "http",
                      "url" : "http://127.0.0.1:80/health"
                    },
                    "cmd" : {
                      "command" : "true",
                      "intervalSeconds" : 1,
                      "retries" : 3,
                      "timeoutSeconds" : 10,
                      "type" : "command"
                    },
                    "port" : {
                      "host" : "127.0.0.1",
                      "intervalSeconds" : 1,
                      "port" : 5432,
                      "retries" : 3,
                      "timeoutSeconds" : 10,
                      "type" : "tcp"
                    }
                  },
                  "host" : "web-1",
                  "secrets" : {
                    "b" : {
                      "mode" : "0440",
                      "owner" : "root",
                      "path" : "/run/flotilla/secrets/b"
                    },
                    "db-password" : {
                      "group" : "db",
                      "mode" : "0400",
                      "owner" : "postgres",
                      "path" : "/run/flotilla/secrets/db-password"
                    }
                  },
                  "services" : {
                    "app" : {
                      "after" : [ "db" ],
                      "command" : "/flotilla/store/00000000000000000000000000000000-tool/bin/tool --serve \\"q\\" \\\\ \\u0001 é 😀",
                      "environment" : {
                        "B" : "tab\\there",
                        "PORT" : "80"
                      },
                      "restart" : "always",
                      "user" : null,
                      "workingDirectory" : null
                    },
                    "db" : {
                      "after" : [ ],
                      "command" : [ "db-server", "-D", "/var/lib/db" ],
                      "environment" : { },
                      "restart" : "on-failure",
                      "user" : "postgres",
                      "workingDirectory" : "/var/lib/db"
                    }
                  },
                  "version" : 1
                }
                """, new String(manifest, StandardCharsets.UTF_8));
        Map<String, byte[]> etc = new TreeMap<>(Map.of("motd", "hello\n".getBytes(StandardCharsets.UTF_8),
                "\u00e9/x", new byte[] {1}));
        assertEquals("0pmixw1ssa7s79jaa1qa6366hfbsf4z1dzr3ci8r18lklz41xhn2",
                SystemBuilder.buildKey("web-1", manifest, etc, config, Set.of()));
    }

    @Test
    void theSameConfigurationGivesTheSamePathInAnotherStoreAndIsNotBuiltTwice() throws IOException {
        PathInfo first = new SystemBuilder(store, KEY).build("web-1", SystemConfig.fromValue(config(tool.absolute())));
        LocalStore other = newStore("b");
        StorePath tool2 = addPackage(other, "tool", "bin/tool", "share/doc/tool.txt");
        assertEquals(tool, tool2);
        PathInfo elsewhere = new SystemBuilder(other, KEY).build("web-1", SystemConfig.fromValue(config(tool2.absolute())));
        assertEquals(first.path(), elsewhere.path());
        assertEquals(first.narHash(), elsewhere.narHash());

        SystemBuilder again = new SystemBuilder(store, KEY);
        try (var index = Files.list(again.indexDir())) {
            assertEquals(1, index.count(), "one build recorded");
        }
        PathInfo second = again.build("web-1", SystemConfig.fromValue(config(tool.absolute())));
        assertEquals(first, second);
    }

    @Test
    void aSourceFileInTheStoreIsCopiedIntoEtc() throws IOException {
        Path src = tmp.resolve("proxy.conf");
        Files.writeString(src, "listen 80;\n");
        StorePath copied = store.addTree(src, "proxy.conf", Set.of(), KEY).path();
        PathInfo info = new SystemBuilder(store, KEY).build("h", SystemConfig.fromValue(
                Map.of("environment", Map.of("etc", Map.of("proxy.conf", Map.of("source", copied.absolute(), "mode", "0555"))))));
        Path f = store.physical(info.path()).resolve("etc/proxy.conf");
        assertEquals("listen 80;\n", Files.readString(f));
        assertTrue(Files.isExecutable(f));
        assertEquals(Set.of(), info.references(), "the contents are copied: the toplevel does not need the source path");
    }

    @Test
    void storePathsThatAreNotInTheStoreAreNamed() {
        String missing = "/flotilla/store/" + "0".repeat(32) + "-ghost";
        ConfigException e = assertThrows(ConfigException.class, () -> new SystemBuilder(store, KEY)
                .build("h", SystemConfig.fromValue(Map.of("environment", Map.of("packages", List.of(missing))))));
        assertTrue(e.getMessage().startsWith("environment.packages[1]: " + missing + " is not in the store"), e.getMessage());
        ConfigException e2 = assertThrows(ConfigException.class, () -> new SystemBuilder(store, KEY).build("h",
                SystemConfig.fromValue(Map.of("services", Map.of("s", Map.of("command", missing + "/bin/x"))))));
        assertEquals("the manifest mentions " + missing + ", which is not in the store (add or build it first)", e2.getMessage());
    }

    @Test
    void twoPackagesProvidingOneFileConflict() throws IOException {
        StorePath other = addPackage(store, "other", "bin/tool");
        ConfigException e = assertThrows(ConfigException.class, () -> new SystemBuilder(store, KEY).build("h",
                SystemConfig.fromValue(Map.of("environment", Map.of("packages", List.of(tool.absolute(), other.absolute()))))));
        assertEquals("environment.packages: bin/tool is provided by both " + tool.absolute() + " and " + other.absolute(), e.getMessage());
    }

    @Test
    void invalidServicesAndSecretsAreRefusedWithTheirOptionPath() {
        assertEquals("services.app.after: no service named 'dbb' on this host (services: app)", assertThrows(ConfigException.class,
                () -> SystemConfig.fromValue(Map.of("services", Map.of("app", Map.of("command", "x", "after", List.of("dbb"))))))
                .getMessage());
        assertEquals("services: the 'after' ordering has a cycle: a -> b -> a", assertThrows(ConfigException.class,
                () -> SystemConfig.fromValue(Map.of("services", Map.of(
                        "a", Map.of("command", "x", "after", List.of("b")), "b", Map.of("command", "y", "after", List.of("a"))))))
                .getMessage());
        assertEquals("activation.scripts.a.after: no script named 'b' on this host (activation.scripts: a)",
                assertThrows(ConfigException.class, () -> SystemConfig.fromValue(Map.of("activation", Map.of("scripts",
                        Map.of("a", Map.of("text", "x", "after", List.of("b"))))))).getMessage());
        assertEquals("services.app.restart: expected one of \"always\", \"on-failure\", \"no\", got \"sometimes\"",
                assertThrows(ConfigException.class, () -> SystemConfig.fromValue(Map.of("services", Map.of("app",
                        Map.of("command", "x", "restart", "sometimes"))))).getMessage());
        String secret = assertThrows(ConfigException.class, () -> SystemConfig.fromValue(
                Map.of("secrets", Map.of("pw", Map.of("text", "hunter2"))))).getMessage();
        assertTrue(secret.startsWith("secrets.pw.text: a secret's content never goes into the configuration"), secret);
        assertFalse(secret.contains("hunter2"));
    }

    @Test
    void aPlainHostNixSourceFileStillWorks() throws IOException {
        Path src = tmp.resolve("legacy.conf");
        Files.writeString(src, "legacy\n");
        PathInfo info = new SystemBuilder(store, KEY).build("h", SystemConfig.fromValue(
                Map.of("environment", Map.of("etc", Map.of("legacy.conf", Map.of("source", src.toString()))))));
        assertEquals("legacy\n", Files.readString(store.physical(info.path()).resolve("etc/legacy.conf")));
        String manifest = Files.readString(store.physical(info.path()).resolve("manifest.json"));
        assertFalse(manifest.contains("services"), "empty sections stay out of the manifest");
    }
}
