package dev.flotilla.agent.client;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Iterator;

/** Ed25519 SSH keys in OpenSSH formats: generate, save (0600 + {@code .pub}), load, render, parse. */
public final class SshKeys {
    private SshKeys() {
    }

    /** A fresh ed25519 key pair. */
    public static KeyPair generate() {
        try {
            return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ed25519 is not available: " + e.getMessage(), e);
        }
    }

    /**
     * Generates an ed25519 key pair into {@code privateKeyFile} (OpenSSH format, unencrypted, mode 0600)
     * and {@code privateKeyFile + ".pub"} (one public key line). Refuses to overwrite an existing key.
     */
    public static KeyPair generate(Path privateKeyFile, String comment) throws IOException {
        if (Files.exists(privateKeyFile)) {
            throw new IOException(privateKeyFile + " already exists; not overwriting a key");
        }
        KeyPair pair = generate();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, out);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encode the key: " + e.getMessage(), e);
        }
        Path dir = privateKeyFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".key", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, out.toByteArray());
            Files.move(tmp, privateKeyFile, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        Files.writeString(publicKeyFile(privateKeyFile), publicKeyLine(pair.getPublic(), comment) + "\n");
        return pair;
    }

    /** Loads the key pair from {@code privateKeyFile}, generating it first if the file does not exist. */
    public static KeyPair loadOrGenerate(Path privateKeyFile, String comment) throws IOException {
        if (!Files.exists(privateKeyFile)) {
            // read back what was written: a key file that cannot be loaded is found now, not at the next start
            generate(privateKeyFile, comment);
        }
        return load(privateKeyFile);
    }

    /** Loads an unencrypted OpenSSH (or PEM) private key file. */
    public static KeyPair load(Path privateKeyFile) throws IOException {
        try (InputStream in = Files.newInputStream(privateKeyFile)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null,
                    NamedResource.ofName(privateKeyFile.toString()), in, null);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new IOException(privateKeyFile + ": no key found");
            }
            return it.next();
        } catch (GeneralSecurityException e) {
            throw new IOException(privateKeyFile + ": cannot load the key: " + e.getMessage(), e);
        }
    }

    /** {@code <private key file>.pub}. */
    public static Path publicKeyFile(Path privateKeyFile) {
        return privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub");
    }

    /** {@code ssh-ed25519 AAAA… [comment]}. */
    public static String publicKeyLine(PublicKey key, String comment) {
        String line = PublicKeyEntry.toString(key);
        return comment == null || comment.isBlank() ? line : line + " " + comment.strip();
    }

    /** Parses one OpenSSH public key line ({@code type base64 [comment]}; authorized_keys options allowed). */
    public static PublicKey parsePublicKey(String line) {
        try {
            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line.strip());
            if (entry == null) {
                throw new IllegalArgumentException("not an OpenSSH public key line: '" + line + "'");
            }
            return entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not an OpenSSH public key line: '" + abbreviate(line) + "': " + e.getMessage(), e);
        }
    }

    /** OpenSSH's {@code SHA256:…} fingerprint. */
    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    private static String abbreviate(String line) {
        String s = line.strip();
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

}
