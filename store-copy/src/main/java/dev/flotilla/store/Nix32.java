package dev.flotilla.store;

/**
 * Nix's own base-32 (spec §2.3): alphabet without e, o, t, u; the bytes are read as one
 * little-endian integer and printed most significant digit first. Not RFC 4648.
 */
public final class Nix32 {
    public static final String ALPHABET = "0123456789abcdfghijklmnpqrsvwxyz";
    private static final int[] DIGIT = new int[128];

    static {
        java.util.Arrays.fill(DIGIT, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            DIGIT[ALPHABET.charAt(i)] = i;
        }
    }

    private Nix32() {
    }

    /** Number of characters that encode {@code size} bytes. */
    public static int encodedLength(int size) {
        return size == 0 ? 0 : (size * 8 - 1) / 5 + 1;
    }

    public static boolean isDigit(char c) {
        return c < 128 && DIGIT[c] >= 0;
    }

    public static String encode(byte[] bytes) {
        int n = encodedLength(bytes.length);
        StringBuilder out = new StringBuilder(n);
        for (int k = n - 1; k >= 0; k--) {
            int b = k * 5;
            int i = b / 8;
            int j = b % 8;
            int c = (bytes[i] & 0xFF) >> j;
            if (i + 1 < bytes.length) {
                c |= (bytes[i + 1] & 0xFF) << (8 - j);
            }
            out.append(ALPHABET.charAt(c & 31));
        }
        return out.toString();
    }

    /** Decodes exactly {@code size} bytes; rejects a wrong length, a foreign character, or a value that overflows. */
    public static byte[] decode(String text, int size) {
        if (text.length() != encodedLength(size)) {
            throw new IllegalArgumentException("invalid base-32 hash '" + text + "': expected "
                    + encodedLength(size) + " characters");
        }
        byte[] out = new byte[size];
        int n = text.length();
        for (int p = 0; p < n; p++) {
            char ch = text.charAt(n - 1 - p);
            int d = ch < 128 ? DIGIT[ch] : -1;
            if (d < 0) {
                throw new IllegalArgumentException("invalid base-32 hash '" + text + "': bad character '" + ch + "'");
            }
            int b = p * 5;
            int i = b / 8;
            int j = b % 8;
            out[i] |= (byte) ((d << j) & 0xFF);
            int carry = d >> (8 - j);
            if (i + 1 < size) {
                out[i + 1] |= (byte) carry;
            } else if (carry != 0) {
                throw new IllegalArgumentException("invalid base-32 hash '" + text + "': value too large");
            }
        }
        return out;
    }
}
