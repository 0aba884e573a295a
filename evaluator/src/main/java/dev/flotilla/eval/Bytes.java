package dev.flotilla.eval;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Conversions at the edges between Nix byte strings (one char per byte) and Java strings.
 * Inside the evaluator every string is a byte string; only file names and the plain-Java
 * API use real Unicode.
 */
public final class Bytes {
    private Bytes() {}

    /** Java (Unicode) text to a Nix byte string (its UTF-8 bytes). */
    public static String fromJava(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** A Nix byte string to Java text, decoding the bytes as UTF-8. */
    public static String toJava(String s) {
        return new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    public static byte[] raw(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static String of(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    public static Path path(String nixPath) {
        return Path.of(toJava(nixPath));
    }
}
