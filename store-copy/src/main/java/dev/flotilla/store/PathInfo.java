package dev.flotilla.store;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a store knows about a valid path: NAR hash and size, references, deriver, signatures and
 * when it was registered. {@code references} and {@code signatures} are immutable and iterate in
 * sorted order (the order of narinfo files and fingerprints).
 *
 * @param deriver          the {@code .drv} that produced the path, or null
 * @param registrationTime when the path became valid in this store; {@link Instant#EPOCH} if unknown
 */
public record PathInfo(StorePath path, Hash narHash, long narSize, Set<StorePath> references,
                       StorePath deriver, Set<Signature> signatures, Instant registrationTime) {

    public PathInfo {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(narHash, "narHash");
        if (narHash.algorithm() != HashAlgorithm.SHA256) {
            throw new IllegalArgumentException(path + ": NAR hash must be sha256");
        }
        if (narSize <= 0) {
            throw new IllegalArgumentException(path + ": NAR size must be positive");
        }
        references = Collections.unmodifiableSortedSet(new TreeSet<>(references));
        for (StorePath ref : references) {
            if (!ref.storeDir().equals(path.storeDir())) {
                throw new IllegalArgumentException(path + ": reference " + ref + " is in another store directory");
            }
        }
        if (deriver != null && !deriver.storeDir().equals(path.storeDir())) {
            throw new IllegalArgumentException(path + ": deriver " + deriver + " is in another store directory");
        }
        signatures = Collections.unmodifiableSortedSet(new TreeSet<>(signatures));
        registrationTime = registrationTime == null ? Instant.EPOCH : registrationTime;
    }

    /** An unsigned info without deriver, registered "now" from the point of view of the caller. */
    public static PathInfo of(StorePath path, Hash narHash, long narSize, Collection<StorePath> references) {
        return new PathInfo(path, narHash, narSize, Set.copyOf(references), null, Set.of(), Instant.EPOCH);
    }

    /**
     * The text that signatures cover (spec §6.3):
     * {@code 1;<path>;sha256:<nix32>;<narSize>;<comma-separated sorted reference paths>}.
     */
    public String fingerprint() {
        return "1;" + path.absolute() + ";" + narHash.toPrefixedNix32() + ";" + narSize + ";"
                + references.stream().map(StorePath::absolute).collect(Collectors.joining(","));
    }

    public PathInfo withSignatures(Collection<Signature> more) {
        Set<Signature> all = new TreeSet<>(signatures);
        all.addAll(more);
        return new PathInfo(path, narHash, narSize, references, deriver, all, registrationTime);
    }

    public PathInfo withSignature(Signature sig) {
        return withSignatures(Set.of(sig));
    }

    /** Adds {@code key}'s signature (null key: unchanged). */
    public PathInfo signedBy(SigningKey key) {
        return key == null ? this : withSignature(key.sign(this));
    }

    public PathInfo withRegistrationTime(Instant time) {
        return new PathInfo(path, narHash, narSize, references, deriver, signatures, time);
    }

    /** True if the path refers to itself. */
    public boolean selfReferencing() {
        return references.contains(path);
    }
}
