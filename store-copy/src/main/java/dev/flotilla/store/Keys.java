package dev.flotilla.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Nix key-file text ({@code name:base64}, spec §6.4) and the JDK's Ed25519 encodings. The JDK takes
 * keys only as PKCS#8 / X.509 DER, and for Ed25519 both are a fixed prefix followed by the 32 raw
 * bytes (RFC 8410), so we build them by hand rather than pull in a crypto library.
 */
final class Keys {
    private static final byte[] PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Keys() {
    }

    /** Key names end up in {@code Sig:} lines and fingerprints: no separators, no blanks. */
    static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > 255
                || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
            throw new IllegalArgumentException("invalid key name '" + name + "'");
        }
    }

    /** Splits {@code name:base64} and checks the decoded length. */
    static NamedBytes parse(String text, int length, String what) {
        String t = text.strip();
        int colon = t.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(what + " lacks a key name");
        }
        String name = t.substring(0, colon);
        checkName(name);
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(t.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + name + "' is not base-64", e);
        }
        if (raw.length != length) {
            throw new IllegalArgumentException(what + " '" + name + "' must be " + length + " bytes, got " + raw.length);
        }
        return new NamedBytes(name, raw);
    }

    static String format(String name, byte[] raw) {
        return name + ":" + Base64.getEncoder().encodeToString(raw);
    }

    static String read(Path file) throws java.io.IOException {
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    static PrivateKey privateKey(byte[] seed) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks Ed25519", e);
        }
    }

    static java.security.PublicKey publicKey(byte[] raw) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid Ed25519 public key", e);
        }
    }

    /** The raw 32 bytes of a JDK Ed25519 public key (its X.509 encoding minus the fixed prefix). */
    static byte[] rawPublic(java.security.PublicKey key) {
        byte[] der = key.getEncoded();
        if (der.length != X509_PREFIX.length + 32 || !Arrays.equals(der, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new IllegalStateException("unexpected Ed25519 public key encoding");
        }
        return Arrays.copyOfRange(der, X509_PREFIX.length, der.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    record NamedBytes(String name, byte[] bytes) {
    }
}
