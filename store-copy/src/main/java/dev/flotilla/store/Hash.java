package dev.flotilla.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A digest with its algorithm, and Nix's textual forms of it (spec §2): hex, nix32, base64,
 * prefixed {@code algo:digest} and SRI {@code algo-base64}. Immutable; the bytes are copied in and out.
 */
public final class Hash {
    private static final HexFormat HEX = HexFormat.of();

    private final HashAlgorithm algorithm;
    private final byte[] bytes;

    public Hash(HashAlgorithm algorithm, byte[] bytes) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (bytes.length != algorithm.size()) {
            throw new IllegalArgumentException(algorithm + " digest must be " + algorithm.size()
                    + " bytes, got " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    public static Hash sha256(byte[] data) {
        return HashAlgorithm.SHA256.digest(data);
    }

    public static Hash sha256(String utf8) {
        return sha256(utf8.getBytes(StandardCharsets.UTF_8));
    }

    public HashAlgorithm algorithm() {
        return algorithm;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String toHex() {
        return HEX.formatHex(bytes);
    }

    public String toNix32() {
        return Nix32.encode(bytes);
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** {@code sha256-<base64>}. */
    public String toSri() {
        return algorithm.nixName() + "-" + toBase64();
    }

    /** {@code sha256:<nix32>}, the form of narinfo NarHash and signature fingerprints. */
    public String toPrefixedNix32() {
        return algorithm.nixName() + ":" + toNix32();
    }

    /** {@code sha256:<hex>}, the form inside store-path fingerprints. */
    public String toPrefixedHex() {
        return algorithm.nixName() + ":" + toHex();
    }

    /** XOR-folds the digest into {@code size} bytes (spec §2.6); this is not truncation. */
    public byte[] compress(int size) {
        byte[] out = new byte[size];
        for (int i = 0; i < bytes.length; i++) {
            out[i % size] ^= bytes[i];
        }
        return out;
    }

    /**
     * Parses a hash whose algorithm is in the text: {@code algo:digest} (hex, nix32 or base64,
     * decided by length) or SRI {@code algo-base64}.
     */
    public static Hash parse(String text) {
        return parse(text, null);
    }

    /**
     * Parses a hash, taking the algorithm from the text when it has one and from {@code expected}
     * otherwise; when both are present they must agree.
     */
    public static Hash parse(String text, HashAlgorithm expected) {
        int colon = text.indexOf(':');
        if (colon >= 0) {
            HashAlgorithm algo = agree(HashAlgorithm.parse(text.substring(0, colon)), expected, text);
            return parseDigest(algo, text.substring(colon + 1));
        }
        int dash = text.indexOf('-');
        if (dash >= 0) {
            HashAlgorithm algo = agree(HashAlgorithm.parse(text.substring(0, dash)), expected, text);
            byte[] raw = decodeBase64(text.substring(dash + 1), text);
            if (raw.length != algo.size()) {
                throw new IllegalArgumentException("invalid SRI hash '" + text + "': wrong length");
            }
            return new Hash(algo, raw);
        }
        if (expected == null) {
            throw new IllegalArgumentException("hash '" + text + "' does not say its algorithm");
        }
        return parseDigest(expected, text);
    }

    /** Parses a bare digest of a known algorithm; its length says whether it is hex, nix32 or base64. */
    public static Hash parseDigest(HashAlgorithm algo, String digest) {
        if (digest.length() == algo.hexLength()) {
            try {
                return new Hash(algo, HEX.parseHex(digest.toLowerCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid base-16 hash '" + digest + "'", e);
            }
        }
        if (digest.length() == algo.nix32Length()) {
            return new Hash(algo, Nix32.decode(digest, algo.size()));
        }
        if (digest.length() == algo.base64Length()) {
            byte[] raw = decodeBase64(digest, digest);
            if (raw.length == algo.size()) {
                return new Hash(algo, raw);
            }
        }
        throw new IllegalArgumentException("hash '" + digest + "' has wrong length for hash type '" + algo + "'");
    }

    private static HashAlgorithm agree(HashAlgorithm found, HashAlgorithm expected, String text) {
        if (expected != null && expected != found) {
            throw new IllegalArgumentException("hash '" + text + "' should have type '" + expected + "'");
        }
        return found;
    }

    private static byte[] decodeBase64(String b64, String whole) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid base-64 hash '" + whole + "'", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && h.algorithm == algorithm && MessageDigest.isEqual(h.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + Arrays.hashCode(bytes);
    }

    /** The prefixed nix32 form, as in narinfo files. */
    @Override
    public String toString() {
        return toPrefixedNix32();
    }
}
