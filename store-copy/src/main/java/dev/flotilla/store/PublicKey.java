package dev.flotilla.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/** A named Ed25519 public key, {@code name:base64(32 bytes)} in Nix's format (spec §6.4). */
public final class PublicKey {
    private final String name;
    private final byte[] raw;
    private final java.security.PublicKey jdkKey;

    public PublicKey(String name, byte[] raw) {
        Keys.checkName(name);
        if (raw.length != 32) {
            throw new IllegalArgumentException("public key '" + name + "' must be 32 bytes");
        }
        this.name = name;
        this.raw = raw.clone();
        this.jdkKey = Keys.publicKey(this.raw);
    }

    public static PublicKey parse(String text) {
        Keys.NamedBytes nb = Keys.parse(text, 32, "public key");
        return new PublicKey(nb.name(), nb.bytes());
    }

    public static PublicKey read(Path file) throws IOException {
        return parse(Keys.read(file));
    }

    /** Writes the key as Nix does, without a trailing newline. */
    public void write(Path file) throws IOException {
        Files.writeString(file, format(), StandardCharsets.US_ASCII);
    }

    public String name() {
        return name;
    }

    public byte[] bytes() {
        return raw.clone();
    }

    /** {@code name:base64}. */
    public String format() {
        return Keys.format(name, raw);
    }

    /** True if {@code sig} is by this key's name and verifies over {@code fingerprint}. */
    public boolean verify(String fingerprint, Signature sig) {
        if (!sig.keyName().equals(name)) {
            return false;
        }
        try {
            java.security.Signature v = java.security.Signature.getInstance("Ed25519");
            v.initVerify(jdkKey);
            v.update(fingerprint.getBytes(StandardCharsets.UTF_8));
            return v.verify(sig.bytes());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey k && k.name.equals(name) && Arrays.equals(k.raw, raw);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return format();
    }
}
