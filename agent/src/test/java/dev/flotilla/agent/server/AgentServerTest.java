package dev.flotilla.agent.server;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentStatus;
import dev.flotilla.agent.CheckReport;
import dev.flotilla.agent.SwitchOptions;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.agent.client.HostKeyPin;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.agent.protocol.AgentProtocol;
import dev.flotilla.agent.protocol.AgentProtocolServer;
import dev.flotilla.agent.system.SystemSwitcher;
import dev.flotilla.agent.testing.TestSystems;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class AgentServerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Path root;
    private KeyPair clientKey;
    private AgentServer server;
    private HostKeyPin pin;

    @BeforeEach
    void start() throws Exception {
        root = dir.resolve("root");
        clientKey = SshKeys.generate(dir.resolve("id_ed25519"), "controller");
        Files.writeString(dir.resolve("authorized_keys"), Files.readString(SshKeys.publicKeyFile(dir.resolve("id_ed25519"))));
        KeyPair hostKey = SshKeys.loadOrGenerate(dir.resolve("host_key"), "agent");
        pin = HostKeyPin.ofPublicKeyFile(SshKeys.publicKeyFile(dir.resolve("host_key")));
        SystemSwitcher switcher = SystemSwitcher.forRoot(root, TestSystems.directoryStore(root));
        server = AgentServer.start("127.0.0.1", 0, hostKey, dir.resolve("authorized_keys"), List.of(
                new StreamSubsystemFactory(AgentProtocol.SUBSYSTEM, new AgentProtocolServer(switcher)),
                new StreamSubsystemFactory("echo", AgentServerTest::echo)));
    }

    private static void echo(java.io.InputStream in, java.io.OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void switchesOverSsh() throws Exception {
        String v1 = TestSystems.system("web-1").etc("motd", "v1\n").commandCheck("ok", "true").writeInto(root);
        try (AgentClient client = AgentClient.connect("127.0.0.1", server.port(), clientKey, pin, TIMEOUT)) {
            SwitchResult result = client.switchTo(v1, SwitchMode.SWITCH);
            assertTrue(result.healthy(), result.message());
            assertEquals(1, result.toGeneration());
            assertEquals("ok", result.checks().getFirst().name());
            AgentStatus status = client.status();
            assertEquals(Optional.of("web-1"), status.host());
            assertEquals(1, status.defaultGeneration());
            assertEquals(v1, status.generations().getFirst().storePath());
            AgentException e = assertThrows(AgentException.class, () -> client.rollback(OptionalInt.empty()));
            assertEquals(AgentException.Kind.PROFILE, e.kind());
            AgentException missing = assertThrows(AgentException.class,
                    () -> client.switchTo("/flotilla/store/00000000000000000000000000000000-x", SwitchMode.SWITCH));
            assertEquals(AgentException.Kind.NOT_IN_STORE, missing.kind());
            assertEquals("v1\n", Files.readString(root.resolve("etc/motd")));
        }
    }

    @Test
    void checkRunsTheActiveSystemsChecksWhileASwitchAwaitsItsConfirmationAndChangesNothing() throws Exception {
        String v1 = TestSystems.system("web-1").etc("motd", "v1\n").commandCheck("marker", "test -f healthy").writeInto(root);
        Files.writeString(root.resolve("healthy"), "");
        try (AgentClient client = AgentClient.connect("127.0.0.1", server.port(), clientKey, pin, TIMEOUT)) {
            AgentException none = assertThrows(AgentException.class, client::check);
            assertEquals(AgentException.Kind.BAD_REQUEST, none.kind());

            SwitchResult pending = client.switchTo(v1, SwitchMode.SWITCH, SwitchOptions.defaults());
            assertTrue(pending.needsConfirm(), pending.message());
            CheckReport healthy = client.check();
            assertEquals(new CheckReport(v1, 1, true, healthy.checks()), healthy);
            assertEquals("marker", healthy.checks().getFirst().name());
            assertTrue(client.status().pending().isPresent(), "a check must not settle the pending switch");

            Files.delete(root.resolve("healthy"));
            CheckReport sick = client.check();
            assertFalse(sick.healthy());
            assertEquals("marker", sick.firstFailure().orElseThrow().name());
            assertEquals(2, sick.firstFailure().orElseThrow().attempts());
            AgentStatus after = client.status();
            assertEquals(Optional.of(v1), after.activeSystem());
            assertTrue(after.pending().isPresent(), "a failing check must not roll back");
            assertEquals(1, after.generations().size());
            assertEquals(1, client.confirm(pending.confirmToken().orElseThrow()).generation());
        }
    }

    @Test
    void subsystemChannelsCarryBytesBothWays() throws Exception {
        try (AgentClient client = AgentClient.connect("127.0.0.1", server.port(), clientKey, pin, TIMEOUT)) {
            String echoed = client.onSubsystem("echo", (fromServer, toServer) -> {
                toServer.write("hello".getBytes(StandardCharsets.UTF_8));
                toServer.flush();
                return new String(fromServer.readNBytes(5), StandardCharsets.UTF_8);
            });
            assertEquals("hello", echoed);
        }
    }

    @Test
    void refusesAnUnauthorizedClientKey() {
        KeyPair stranger = SshKeys.generate();
        IOException e = assertThrows(IOException.class,
                () -> AgentClient.connect("127.0.0.1", server.port(), stranger, pin, TIMEOUT));
        assertTrue(e.getMessage().contains("refused authentication"), e.getMessage());
    }

    @Test
    void refusesAServerWhoseHostKeyIsNotThePinnedOne() {
        HostKeyPin wrong = HostKeyPin.of(SshKeys.generate().getPublic());
        IOException e = assertThrows(IOException.class,
                () -> AgentClient.connect("127.0.0.1", server.port(), clientKey, wrong, TIMEOUT));
        String expected = "host key of 127.0.0.1:" + server.port() + " does not match the pinned key: expected "
                + wrong.fingerprint() + ", got " + pin.fingerprint();
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @Test
    void pinsFromKnownHostsLines() throws Exception {
        String line = "[127.0.0.1]:" + server.port() + " " + pin.publicKeyLine();
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "# comment\nother.example " + SshKeys.publicKeyLine(SshKeys.generate().getPublic(), null)
                + "\n" + line + "\n");
        assertEquals(pin, HostKeyPin.fromKnownHosts(knownHosts, "127.0.0.1", server.port()));
        assertEquals(pin, HostKeyPin.ofKnownHostsLine(line));
        assertThrows(IOException.class, () -> HostKeyPin.fromKnownHosts(knownHosts, "127.0.0.2", server.port()));
        try (AgentClient client = AgentClient.connect("127.0.0.1", server.port(), clientKey,
                HostKeyPin.fromKnownHosts(knownHosts, "127.0.0.1", server.port()), TIMEOUT)) {
            assertEquals(0, client.status().defaultGeneration());
        }
    }
}
