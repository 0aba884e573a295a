package dev.flotilla.agent.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SshKeysTest {
    @TempDir
    Path dir;

    @Test
    void generatesLoadsAndRendersOpenSshKeys() throws Exception {
        Path file = dir.resolve("keys/id_ed25519");
        KeyPair generated = SshKeys.generate(file, "ops@fleet");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.readString(file).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"));
        String pub = Files.readString(SshKeys.publicKeyFile(file)).strip();
        assertTrue(pub.startsWith("ssh-ed25519 AAAA") && pub.endsWith(" ops@fleet"), pub);

        KeyPair loaded = SshKeys.load(file);
        assertTrue(HostKeyPin.of(generated.getPublic()).matches(loaded.getPublic()));
        assertEquals(HostKeyPin.ofPublicKeyLine(pub), HostKeyPin.of(loaded.getPublic()));
        assertTrue(SshKeys.fingerprint(loaded.getPublic()).startsWith("SHA256:"));
        assertThrows(java.io.IOException.class, () -> SshKeys.generate(file, "again"));
        assertTrue(HostKeyPin.of(SshKeys.loadOrGenerate(file, "x").getPublic()).matches(generated.getPublic()));
    }

    @Test
    void rejectsGarbageKeyLines() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostKeyPin.ofPublicKeyLine("ssh-ed25519 nope"));
        assertTrue(e.getMessage().startsWith("not an OpenSSH public key line"), e.getMessage());
    }
}
