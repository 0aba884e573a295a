package dev.flotilla.store.nar;

import dev.flotilla.store.Hash;
import dev.flotilla.store.HashAlgorithm;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes bytes on (or nowhere) while computing their SHA-256 and counting them. */
public final class HashingOutputStream extends OutputStream {
    private final OutputStream delegate;
    private final MessageDigest digest = HashAlgorithm.SHA256.newDigest();
    private long count;

    /** @param delegate where the bytes go, or null to only hash them */
    public HashingOutputStream(OutputStream delegate) {
        this.delegate = delegate;
    }

    @Override
    public void write(int b) throws IOException {
        digest.update((byte) b);
        count++;
        if (delegate != null) {
            delegate.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        digest.update(b, off, len);
        count += len;
        if (delegate != null) {
            delegate.write(b, off, len);
        }
    }

    @Override
    public void flush() throws IOException {
        if (delegate != null) {
            delegate.flush();
        }
    }

    public long count() {
        return count;
    }

    /** The summary of everything written so far; call once, at the end. */
    public NarSummary summary() {
        return new NarSummary(new Hash(HashAlgorithm.SHA256, digest.digest()), count);
    }
}
