package dev.flotilla.store.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StorePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

        JsonNode m = new ObjectMapper().readTree(top.resolve("manifest.json").toFile());
        assertEquals("0640", m.at("/etc/app~1app.conf/mode").asText());
        JsonNode app = m.at("/services/app");
        assertEquals(tool.absolute() + "/bin/tool --serve", app.get("command").asText());
        assertEquals("80", app.at("/environment/PORT").asText());
        assertEquals("always", app.get("restart").asText());
        assertEquals("db", app.at("/after/0").asText());
        assertTrue(app.get("user").isNull() && app.get("workingDirectory").isNull());
        assertEquals("on-failure", m.at("/services/db/restart").asText());
        assertEquals("postgres", m.at("/services/db/user").asText());
        assertEquals("-D", m.at("/services/db/command/1").asText(), "a list command stays an argv");
        assertEquals("dirs", m.at("/activation/slow/after/0").asText());
        assertEquals("db", m.at("/secrets/db-password/group").asText());
        assertEquals("mkdir -p /var/lib/db", m.at("/activation/dirs/script").asText());
        assertEquals(60, m.at("/activation/dirs/timeoutSeconds").asInt());
        assertEquals(5, m.at("/activation/slow/timeoutSeconds").asInt());
        assertEquals("/run/flotilla/secrets/db-password", m.at("/secrets/db-password/path").asText());
        assertEquals("postgres", m.at("/secrets/db-password/owner").asText());
        assertEquals("0400", m.at("/secrets/db-password/mode").asText());
        assertEquals("http", m.at("/healthChecks/app/type").asText());
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
