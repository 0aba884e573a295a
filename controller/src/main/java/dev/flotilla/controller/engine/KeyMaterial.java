package dev.flotilla.controller.engine;

import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.store.SigningKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Reading and writing the controller's keys as text: from files, secrets or the database. */
final class KeyMaterial {

    /** The DER header of a PKCS#8 Ed25519 private key (RFC 8410), followed by the 32-byte seed. */
    private static final byte[] PKCS8_ED25519 = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private KeyMaterial() {}

    /** A signing key in Nix's format ({@code name:base64}) or PEM PKCS#8 Ed25519 (named {@code name}). */
    static SigningKey signingKey(String text, String name, String source) {
        String t = text.strip();
        if (!t.startsWith("-----BEGIN")) {
            try {
                return SigningKey.parse(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": not a Nix secret key (name:base64): " + e.getMessage(), e);
            }
        }
        if (!t.startsWith("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException(source + ": a PEM signing key must be PKCS#8 ('BEGIN PRIVATE KEY') ed25519");
        }
        String body = t.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        if (der.length != PKCS8_ED25519.length + 32 || !Arrays.equals(der, 0, PKCS8_ED25519.length, PKCS8_ED25519, 0, PKCS8_ED25519.length)) {
            throw new IllegalArgumentException(source + ": not an ed25519 private key");
        }
        return SigningKey.fromSeed(name, Arrays.copyOfRange(der, PKCS8_ED25519.length, der.length));
    }

    /** An SSH identity from OpenSSH or PEM private key text. */
    static KeyPair sshIdentity(String text, String source) throws IOException {
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(source),
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new IOException(source + ": no private key found");
            }
            return it.next();
        } catch (GeneralSecurityException e) {
            throw new IOException(source + ": cannot load the key: " + e.getMessage(), e);
        }
    }

    /** A new SSH identity, as OpenSSH private key text. */
    static String newSshIdentity(String comment) {
        try {
            Path dir = Files.createTempDirectory("flotilla-key");
            Path file = dir.resolve("id_ed25519");
            try {
                SshKeys.generate(file, comment);
                return Files.readString(file);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(SshKeys.publicKeyFile(file));
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot generate an SSH identity: " + e.getMessage(), e);
        }
    }
}
