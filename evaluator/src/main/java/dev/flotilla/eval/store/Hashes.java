package dev.flotilla.eval.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** Hash algorithms and Nix's textual encodings (hex, nix32, base64). */
public final class Hashes {
    private static final String NIX32 = "0123456789abcdfghijklmnpqrsvwxyz";

    private Hashes() {}

    /** Digest of {@code data} with a Nix algorithm name (md5, sha1, sha256, sha512). */
    public static byte[] digest(String algo, byte[] data) {
        try {
            return MessageDigest.getInstance(javaName(algo)).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown hash algorithm '" + algo + "'", e);
        }
    }

    public static MessageDigest digester(String algo) {
        try {
            return MessageDigest.getInstance(javaName(algo));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown hash algorithm '" + algo + "'", e);
        }
    }

    public static boolean known(String algo) {
        return switch (algo) {
            case "md5", "sha1", "sha256", "sha512" -> true;
            default -> false;
        };
    }

    private static String javaName(String algo) {
        return switch (algo) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unknown hash algorithm '" + algo + "'");
        };
    }

    public static byte[] sha256(String latin1) {
        return digest("sha256", latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static String hex(byte[] h) {
        return HexFormat.of().formatHex(h);
    }

    public static String base64(byte[] h) {
        return Base64.getEncoder().encodeToString(h);
    }

    public static String nix32(byte[] h) {
        int n = (h.length * 8 - 1) / 5 + 1;
        StringBuilder sb = new StringBuilder(n);
        for (int k = n - 1; k >= 0; k--) {
            int b = k * 5;
            int i = b / 8;
            int j = b % 8;
            int c = ((h[i] & 0xFF) >> j) | (i + 1 < h.length ? (h[i + 1] & 0xFF) << (8 - j) : 0);
            sb.append(NIX32.charAt(c & 31));
        }
        return sb.toString();
    }

    /** Parses hex, nix32 or base64 (decided by length) for the given algorithm; null if malformed. */
    public static byte[] parse(String algo, String s) {
        int size = digest(algo, new byte[0]).length;
        try {
            if (s.length() == size * 2) return HexFormat.of().parseHex(s.toLowerCase());
            if (s.length() == (size * 8 - 1) / 5 + 1) return fromNix32(s, size);
            byte[] b = Base64.getDecoder().decode(s);
            return b.length == size ? b : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] fromNix32(String s, int size) {
        byte[] h = new byte[size];
        for (int p = 0; p < s.length(); p++) {
            int d = NIX32.indexOf(s.charAt(s.length() - 1 - p));
            if (d < 0) throw new IllegalArgumentException("bad nix32");
            int b = p * 5, i = b / 8, j = b % 8;
            h[i] |= (byte) (d << j);
            if (i + 1 < size) h[i + 1] |= (byte) (d >> (8 - j));
            else if ((d >> (8 - j)) != 0) throw new IllegalArgumentException("overflow");
        }
        return h;
    }

    /** XOR-fold to {@code size} bytes (Nix's compressHash). */
    public static byte[] compress(byte[] h, int size) {
        byte[] out = new byte[size];
        for (int i = 0; i < h.length; i++) out[i % size] ^= h[i];
        return out;
    }
}
