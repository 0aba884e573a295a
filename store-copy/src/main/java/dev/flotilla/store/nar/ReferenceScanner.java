package dev.flotilla.store.nar;

import dev.flotilla.store.Nix32;
import dev.flotilla.store.StorePath;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds which candidate store paths an object refers to (spec §5): a candidate is a reference
 * when its 32-character hash part occurs anywhere in the object's NAR — contents, names or
 * symlink targets. Used as an output stream so it can sit beside a NAR writer; hits that span two
 * writes are found because the last 31 bytes are carried over.
 */
public final class ReferenceScanner extends OutputStream {
    private static final int H = StorePath.HASH_LENGTH;
    private static final boolean[] NIX32 = new boolean[256];

    static {
        for (char c : Nix32.ALPHABET.toCharArray()) {
            NIX32[c] = true;
        }
    }

    private final Map<String, StorePath> pending = new HashMap<>();
    private final Set<StorePath> found = new TreeSet<>();
    private final byte[] carry = new byte[H - 1];
    private int carried;

    public ReferenceScanner(Collection<StorePath> candidates) {
        for (StorePath p : candidates) {
            pending.put(p.hashPart(), p);
        }
    }

    /** The candidates among {@code candidates} that the NAR of {@code path} mentions. */
    public static Set<StorePath> scan(Path path, Collection<StorePath> candidates) throws IOException {
        ReferenceScanner scanner = new ReferenceScanner(candidates);
        NarWriter.dump(path, scanner);
        return scanner.found();
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (pending.isEmpty() || len == 0) {
            return;
        }
        byte[] buf = new byte[carried + len];
        System.arraycopy(carry, 0, buf, 0, carried);
        System.arraycopy(b, off, buf, carried, len);
        search(buf);
        int keep = Math.min(H - 1, buf.length);
        System.arraycopy(buf, buf.length - keep, carry, 0, keep);
        carried = keep;
    }

    /** Checks each window from its end; a byte outside the alphabet lets the search jump past it. */
    private void search(byte[] buf) {
        int i = 0;
        while (i + H <= buf.length) {
            int j = H - 1;
            while (j >= 0 && NIX32[buf[i + j] & 0xFF]) {
                j--;
            }
            if (j >= 0) {
                i += j + 1;
                continue;
            }
            StorePath hit = pending.remove(new String(buf, i, H, StandardCharsets.US_ASCII));
            if (hit != null) {
                found.add(hit);
            }
            i++;
        }
    }

    /** The references found so far, sorted. */
    public Set<StorePath> found() {
        return new TreeSet<>(found);
    }
}
