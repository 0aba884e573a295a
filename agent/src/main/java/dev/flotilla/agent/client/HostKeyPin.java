package dev.flotilla.agent.client;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;

/** The host key a client expects from an agent; connections to any other key are refused. */
public final class HostKeyPin {
    private final PublicKey key;

    private HostKeyPin(PublicKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    public static HostKeyPin of(PublicKey key) {
        return new HostKeyPin(key);
    }

    /** From an OpenSSH public key line: {@code ssh-ed25519 AAAA… [comment]}. */
    public static HostKeyPin ofPublicKeyLine(String line) {
        return new HostKeyPin(SshKeys.parsePublicKey(line));
    }

    /** From a {@code .pub} file holding one public key line. */
    public static HostKeyPin ofPublicKeyFile(Path file) throws IOException {
        return ofPublicKeyLine(Files.readString(file));
    }

    /**
     * From a known_hosts file: the first entry matching {@code host} and {@code port}
     * ({@code [host]:port} patterns, or plain {@code host} for port 22; hashed entries too).
     */
    public static HostKeyPin fromKnownHosts(Path knownHosts, String host, int port) throws IOException {
        List<String> lines = Files.readAllLines(knownHosts);
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("@")) {
                continue;
            }
            KnownHostEntry entry = KnownHostEntry.parseKnownHostEntry(trimmed);
            if (entry != null && matches(entry, host, port)) {
                return ofPublicKeyLine(entry.getKeyEntry().toString());
            }
        }
        throw new IOException(knownHosts + ": no entry for " + (port == 22 ? host : "[" + host + "]:" + port));
    }

    private static boolean matches(KnownHostEntry entry, String host, int port) {
        return entry.getHashedEntry() != null ? entry.getHashedEntry().isHostMatch(host, port) : entry.isHostMatch(host, port);
    }

    /** A known_hosts line's own key ({@code [127.0.0.1]:2201 ssh-ed25519 AAAA…}), host patterns ignored. */
    public static HostKeyPin ofKnownHostsLine(String line) {
        KnownHostEntry entry = KnownHostEntry.parseKnownHostEntry(line.strip());
        if (entry == null || entry.getKeyEntry() == null) {
            throw new IllegalArgumentException("not a known_hosts line: '" + line + "'");
        }
        return ofPublicKeyLine(entry.getKeyEntry().toString());
    }

    public PublicKey key() {
        return key;
    }

    /** {@code SHA256:…}, as {@code ssh-keygen -l} prints it. */
    public String fingerprint() {
        return SshKeys.fingerprint(key);
    }

    public boolean matches(PublicKey other) {
        return other != null && KeyUtils.compareKeys(key, other);
    }

    /** The pin as an OpenSSH public key line (no comment). */
    public String publicKeyLine() {
        return SshKeys.publicKeyLine(key, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostKeyPin other && matches(other.key);
    }

    @Override
    public int hashCode() {
        return publicKeyLine().hashCode();
    }

    @Override
    public String toString() {
        return "HostKeyPin[" + KeyUtils.getKeyType(key) + " " + fingerprint() + "]";
    }
}
