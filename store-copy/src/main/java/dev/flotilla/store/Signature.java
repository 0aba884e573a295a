package dev.flotilla.store;

import java.util.Base64;

/**
 * One {@code Sig:} value, {@code <keyName>:<base64 of 64 bytes>} (spec §6.3). Kept as text so that
 * it has value semantics; {@link #bytes()} decodes it.
 */
public record Signature(String keyName, String base64) implements Comparable<Signature> {
    public Signature {
        Keys.checkName(keyName);
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signature by '" + keyName + "' is not base-64", e);
        }
        if (raw.length != 64) {
            throw new IllegalArgumentException("signature by '" + keyName + "' is not 64 bytes");
        }
    }

    public static Signature of(String keyName, byte[] raw) {
        return new Signature(keyName, Base64.getEncoder().encodeToString(raw));
    }

    /** Parses {@code name:base64}. */
    public static Signature parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("signature '" + text + "' lacks a key name");
        }
        return new Signature(text.substring(0, colon), text.substring(colon + 1));
    }

    public byte[] bytes() {
        return Base64.getDecoder().decode(base64);
    }

    @Override
    public int compareTo(Signature o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return keyName + ":" + base64;
    }
}
