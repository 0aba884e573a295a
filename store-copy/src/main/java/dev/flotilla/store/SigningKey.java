package dev.flotilla.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * A named Ed25519 secret key in Nix's format: {@code name:base64(seed ‖ public key)}, 64 bytes
 * (spec §6.4). Signs path fingerprints (§6.3). {@link #toString()} never shows the secret.
 */
public final class SigningKey {
    private final String name;
    private final byte[] seed;
    private final PrivateKey jdkKey;
    private final PublicKey publicKey;

    private SigningKey(String name, byte[] seed, byte[] publicRaw) {
        this.name = name;
        this.seed = seed.clone();
        this.jdkKey = Keys.privateKey(this.seed);
        this.publicKey = new PublicKey(name, publicRaw);
    }

    /** A fresh key from the system's strong random source. */
    public static SigningKey generate(String name) {
        Keys.checkName(name);
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return fromSeed(name, seed);
    }

    /** The key whose RFC 8032 seed is {@code seed}; its public half is derived. */
    public static SigningKey fromSeed(String name, byte[] seed) {
        Keys.checkName(name);
        if (seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
        }
        return new SigningKey(name, seed, derivePublic(seed));
    }

    /** Parses {@code name:base64(64 bytes)}; the public half stored in it must match the seed. */
    public static SigningKey parse(String text) {
        Keys.NamedBytes nb = Keys.parse(text, 64, "secret key");
        byte[] seed = Arrays.copyOf(nb.bytes(), 32);
        byte[] stored = Arrays.copyOfRange(nb.bytes(), 32, 64);
        if (!Arrays.equals(stored, derivePublic(seed))) {
            throw new IllegalArgumentException("secret key '" + nb.name() + "' is corrupt: its public half does not match");
        }
        return new SigningKey(nb.name(), seed, stored);
    }

    public static SigningKey read(Path file) throws IOException {
        return parse(Keys.read(file));
    }

    /** Writes the secret key (mode 0600, created fresh) without a trailing newline, as Nix does. */
    public void write(Path secretFile) throws IOException {
        Files.deleteIfExists(secretFile);
        Files.createFile(secretFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secretFile, format(), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Writes the secret key and its public half, like {@code nix-store --generate-binary-cache-key}. */
    public void write(Path secretFile, Path publicFile) throws IOException {
        write(secretFile);
        publicKey.write(publicFile);
    }

    public String name() {
        return name;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The secret in Nix's text form; handle with care. */
    public String format() {
        byte[] both = Arrays.copyOf(seed, 64);
        System.arraycopy(publicKey.bytes(), 0, both, 32, 32);
        return Keys.format(name, both);
    }

    public Signature sign(String fingerprint) {
        try {
            java.security.Signature s = java.security.Signature.getInstance("Ed25519");
            s.initSign(jdkKey);
            s.update(fingerprint.getBytes(StandardCharsets.UTF_8));
            return Signature.of(name, s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Signs {@link PathInfo#fingerprint()}. */
    public Signature sign(PathInfo info) {
        return sign(info.fingerprint());
    }

    /**
     * The JDK derives an Ed25519 public key only while generating a pair, from 32 bytes it draws
     * from the given random source; feeding it the seed makes that derivation deterministic.
     */
    private static byte[] derivePublic(byte[] seed) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("Ed25519");
            gen.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
            return Keys.rawPublic(gen.generateKeyPair().getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks Ed25519", e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[" + name + ", public " + publicKey.format() + "]";
    }

    private static final class SeedRandom extends SecureRandom {
        private final byte[] seed;

        SeedRandom(byte[] seed) {
            this.seed = seed;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
