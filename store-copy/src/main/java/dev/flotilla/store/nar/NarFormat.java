package dev.flotilla.store.nar;

import java.nio.charset.StandardCharsets;

/** Tokens and limits of the NAR format (spec §1). */
final class NarFormat {
    static final String MAGIC = "nix-archive-1";
    /** Linux NAME_MAX: a longer entry name could not be created anyway. */
    static final int MAX_NAME = 255;
    /** Linux PATH_MAX, including the terminating NUL. */
    static final int MAX_TARGET = 4095;
    /** Longer than any keyword of the grammar. */
    static final int MAX_TOKEN = 16;
    /** Deeper trees than this are refused rather than recursed into. */
    static final int MAX_DEPTH = 256;

    private NarFormat() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static int padding(long length) {
        return (int) ((8 - length % 8) % 8);
    }
}
