package dev.flotilla.store.nar;

import dev.flotilla.store.Hash;
import dev.flotilla.store.HashAlgorithm;

/** The SHA-256 and byte count of one NAR serialisation. */
public record NarSummary(Hash narHash, long narSize) {
    public NarSummary {
        if (narHash.algorithm() != HashAlgorithm.SHA256) {
            throw new IllegalArgumentException("a NAR hash is sha256");
        }
        if (narSize <= 0) {
            throw new IllegalArgumentException("a NAR is never empty");
        }
    }
}
