package dev.flotilla.agent.server;

import dev.flotilla.agent.Agent;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.agent.client.HostKeyPin;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.agent.testing.TestSystems;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.TrustedKeys;
import dev.flotilla.store.copy.CopyResult;
import dev.flotilla.store.copy.CopyListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Controller store → SSH → agent store, then switch: two physical roots, one JVM. */
@Timeout(60)
class CopyAndSwitchTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private LocalStore controllerStore;
    private SigningKey signer;
    private Path hostRoot;
    private AgentServer server;
    private AgentClient client;

    @BeforeEach
    void start() throws Exception {
        controllerStore = new LocalStore(dir.resolve("controller"), StoreDir.DEFAULT);
        signer = SigningKey.generate("test-fleet-1");
        hostRoot = dir.resolve("web-1");
        Agent agent = Agent.open(hostRoot, StoreDir.DEFAULT, TrustedKeys.of(signer.publicKey()));
        KeyPair clientKey = SshKeys.generate(dir.resolve("id"), "controller");
        Files.copy(SshKeys.publicKeyFile(dir.resolve("id")), dir.resolve("authorized_keys"));
        KeyPair hostKey = SshKeys.generate();
        server = AgentServer.start("127.0.0.1", 0, hostKey, dir.resolve("authorized_keys"), agent.subsystems());
        client = AgentClient.connect("127.0.0.1", server.port(), clientKey, HostKeyPin.of(hostKey.getPublic()), TIMEOUT);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
    }

    private StorePath build(TestSystems system, SigningKey key) throws IOException {
        Path tree = system.writeTree(Files.createTempDirectory(dir, "build"));
        PathInfo info = controllerStore.addTree(tree, "flotilla-system-web-1", Set.of(), key);
        return info.path();
    }

    @Test
    void copiesThenSwitches() throws Exception {
        StorePath v1 = build(TestSystems.system("web-1").etc("motd", "hello from v1\n").commandCheck("motd", "grep -q v1 etc/motd"), signer);

        CopyResult copy = client.copyClosure(controllerStore, List.of(v1), CopyListener.NONE);
        assertEquals(1, copy.pathsSent());
        SwitchResult result = client.switchTo(v1, SwitchMode.SWITCH);
        assertTrue(result.healthy(), result.message());
        assertEquals(1, result.toGeneration());
        assertEquals("hello from v1\n", Files.readString(hostRoot.resolve("etc/motd")));
        assertEquals(".." + v1.absolute() + "/etc", Files.readSymbolicLink(hostRoot.resolve("etc/static")).toString());

        assertEquals(0, client.copyClosure(controllerStore, List.of(v1), null).pathsSent(), "nothing missing the second time");
        SwitchResult again = client.switchTo(v1, SwitchMode.SWITCH);
        assertFalse(again.changed());
        assertEquals(1, again.toGeneration());
    }

    @Test
    void failingHealthCheckRollsBackOverSsh() throws Exception {
        StorePath v1 = build(TestSystems.system("web-1").etc("motd", "v1\n"), signer);
        StorePath bad = build(TestSystems.system("web-1").etc("motd", "v2\n").commandCheck("app", "echo no app >&2; false"), signer);
        client.copyClosure(controllerStore, List.of(v1, bad), CopyListener.NONE);
        client.switchTo(v1, SwitchMode.SWITCH);

        SwitchResult result = client.switchTo(bad, SwitchMode.SWITCH);
        assertTrue(result.rolledBack());
        assertEquals("app", result.firstFailure().orElseThrow().name());
        assertTrue(result.firstFailure().orElseThrow().output().contains("no app"));
        assertEquals(1, client.status().defaultGeneration());
        assertEquals("v1\n", Files.readString(hostRoot.resolve("etc/motd")));
    }

    @Test
    void refusesPathsSignedByAnUntrustedKey() throws Exception {
        StorePath rogue = build(TestSystems.system("web-1").etc("motd", "rogue\n"), SigningKey.generate("rogue-1"));
        assertThrows(IOException.class, () -> client.copyClosure(controllerStore, List.of(rogue), CopyListener.NONE));
        assertEquals(0, client.status().generations().size());
    }
}
