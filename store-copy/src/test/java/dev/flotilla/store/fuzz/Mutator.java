package dev.flotilla.store.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A small structure-aware mutation engine for the fuzz tests (Jazzer would need its agent and
 * native driver set up; this runs anywhere, deterministically from a seed). Mutations favour what
 * breaks length-prefixed formats: little- and big-endian length fields set to boundary values,
 * tokens swapped for dangerous names, cuts, duplications and splices between inputs.
 */
public final class Mutator {
    private static final long[] BOUNDARY = {0, 1, 2, 7, 8, 9, 255, 256, 4095, 4096, 65_535, 65_536, 1 << 20,
        (1 << 20) + 1, Integer.MAX_VALUE, 0xFFFF_FFFFL, 1L << 32, Long.MAX_VALUE, -1L, Long.MIN_VALUE};
    private static final List<byte[]> TOKENS = List.of(ascii(".."), ascii("."), ascii("/"), ascii("a/b"), ascii("\0"),
            ascii("/etc/passwd"), ascii("../../../../tmp/x"), ascii("/flotilla/store/../../etc"), ascii("entry"),
            ascii("directory"), ascii("symlink"), ascii("regular"), ascii("executable"), ascii("contents"), ascii("("),
            ascii(")"), ascii("node"), ascii("name"), ascii("target"), ascii("nix-archive-1"), ascii("type"),
            new byte[] {(byte) 0xC3, 0x28}, ascii("{\"narSize\":9223372036854775807}"), ascii("\"paths\":[]"));

    private final Random random;

    public Mutator(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    /** One to four mutations of {@code input}, sometimes spliced with {@code other}. */
    public byte[] mutate(byte[] input, byte[] other) {
        byte[] b = input;
        int rounds = 1 + random.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            b = once(b, other);
        }
        return b;
    }

    private byte[] once(byte[] b, byte[] other) {
        if (b.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(b.length);
        return switch (random.nextInt(10)) {
            case 0 -> { // flip a bit
                byte[] c = b.clone();
                c[at] ^= (byte) (1 << random.nextInt(8));
                yield c;
            }
            case 1 -> { // a random byte
                byte[] c = b.clone();
                c[at] = (byte) random.nextInt(256);
                yield c;
            }
            case 2 -> lengthField(b, true);
            case 3 -> lengthField(b, false);
            case 4 -> Arrays.copyOf(b, at); // truncate
            case 5 -> { // delete a range
                int len = Math.min(b.length - at, 1 + random.nextInt(64));
                yield concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + len, b.length));
            }
            case 6 -> { // duplicate a range
                int len = Math.min(b.length - at, 1 + random.nextInt(256));
                byte[] range = Arrays.copyOfRange(b, at, at + len);
                yield concat(concat(Arrays.copyOf(b, at + len), range), Arrays.copyOfRange(b, at + len, b.length));
            }
            case 7 -> { // a token, with a NAR-style length in front half of the time, aligned to 8
                byte[] t = TOKENS.get(random.nextInt(TOKENS.size()));
                int pos = at & ~7;
                byte[] insert = random.nextBoolean() ? t : narString(t);
                boolean replace = random.nextBoolean() && pos + insert.length <= b.length;
                byte[] head = Arrays.copyOf(b, pos);
                byte[] tail = Arrays.copyOfRange(b, replace ? pos + insert.length : pos, b.length);
                yield concat(concat(head, insert), tail);
            }
            case 8 -> { // splice with another input
                if (other.length == 0) {
                    yield b;
                }
                int from = random.nextInt(other.length);
                yield concat(Arrays.copyOf(b, at), Arrays.copyOfRange(other, from, other.length));
            }
            default -> { // random junk
                byte[] junk = new byte[1 + random.nextInt(32)];
                random.nextBytes(junk);
                yield concat(concat(Arrays.copyOf(b, at), junk), Arrays.copyOfRange(b, at, b.length));
            }
        };
    }

    /** Overwrites 8 (little-endian, NAR) or 4 (big-endian, frames) bytes with a boundary value. */
    private byte[] lengthField(byte[] b, boolean little) {
        int width = little ? 8 : 4;
        if (b.length < width) {
            return b;
        }
        int pos = little ? (random.nextInt(b.length / 8 + 1) * 8) : random.nextInt(b.length - width + 1);
        pos = Math.min(pos, b.length - width);
        long v = BOUNDARY[random.nextInt(BOUNDARY.length)] + (random.nextInt(5) == 0 ? random.nextInt(17) - 8 : 0);
        byte[] c = b.clone();
        for (int i = 0; i < width; i++) {
            int shift = 8 * (little ? i : width - 1 - i);
            c[pos + i] = (byte) (v >>> shift);
        }
        return c;
    }

    public static byte[] narString(byte[] s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++) {
            out.write((int) ((long) s.length >>> (8 * i)));
        }
        out.writeBytes(s);
        out.writeBytes(new byte[(8 - s.length % 8) % 8]);
        return out.toByteArray();
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
