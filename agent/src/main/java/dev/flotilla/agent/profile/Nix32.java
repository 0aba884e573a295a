package dev.flotilla.agent.profile;

/** Nix's base-32 encoding (spec §2.3), only what the gcroot names need. */
final class Nix32 {
    private static final String ALPHABET = "0123456789abcdfghijklmnpqrsvwxyz";

    private Nix32() {
    }

    static String encode(byte[] bytes) {
        int length = (bytes.length * 8 - 1) / 5 + 1;
        StringBuilder out = new StringBuilder(length);
        for (int n = length - 1; n >= 0; n--) {
            int bit = n * 5;
            int i = bit / 8;
            int j = bit % 8;
            int c = (bytes[i] & 0xFF) >> j;
            if (i + 1 < bytes.length) {
                c |= (bytes[i + 1] & 0xFF) << (8 - j);
            }
            out.append(ALPHABET.charAt(c & 0x1F));
        }
        return out.toString();
    }
}
