package dev.flotilla.store;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.TreeSet;

/** How Nix computes store paths (spec §3.1, §3.3). All functions are pure. */
public final class StorePaths {
    private StorePaths() {
    }

    /**
     * {@code <storeDir>/nix32(compress(sha256("<type>:sha256:<hex inner>:<storeDir>:<name>"), 20))-<name>}.
     */
    public static StorePath make(StoreDir storeDir, String type, Hash innerHash, String name) {
        if (innerHash.algorithm() != HashAlgorithm.SHA256) {
            throw new IllegalArgumentException("store path inner hash must be sha256");
        }
        StorePath.checkName("", name);
        String fingerprint = type + ":" + innerHash.toPrefixedHex() + ":" + storeDir.path() + ":" + name;
        String hashPart = Nix32.encode(Hash.sha256(fingerprint).compress(20));
        return new StorePath(storeDir, hashPart, name);
    }

    /** A text path, as {@code builtins.toFile} makes it: type {@code text} plus every reference. */
    public static StorePath text(StoreDir storeDir, String name, byte[] contents, Collection<StorePath> references) {
        return make(storeDir, withReferences("text", storeDir, references, false), Hash.sha256(contents), name);
    }

    public static StorePath text(StoreDir storeDir, String name, String contents, Collection<StorePath> references) {
        return text(storeDir, name, contents.getBytes(StandardCharsets.UTF_8), references);
    }

    /**
     * A source path (recursive sha256 over the NAR), as {@code nix-store --add} or {@code builtins.path}
     * make it; {@code selfReference} adds {@code :self}.
     */
    public static StorePath source(StoreDir storeDir, String name, Hash narHash, Collection<StorePath> references,
                                   boolean selfReference) {
        return make(storeDir, withReferences("source", storeDir, references, selfReference), narHash, name);
    }

    /**
     * A fixed-output path. Recursive sha256 is a {@code source} path without references (§3.3);
     * everything else is {@code output:out} over the inner string {@code fixed:out:[r:]algo:hex:}.
     */
    public static StorePath fixedOutput(StoreDir storeDir, String name, boolean recursive, Hash hash) {
        if (recursive && hash.algorithm() == HashAlgorithm.SHA256) {
            return source(storeDir, name, hash, java.util.List.of(), false);
        }
        String inner = "fixed:out:" + (recursive ? "r:" : "") + hash.algorithm().nixName() + ":" + hash.toHex() + ":";
        return make(storeDir, "output:out", Hash.sha256(inner), name);
    }

    private static String withReferences(String type, StoreDir storeDir, Collection<StorePath> references, boolean self) {
        StringBuilder sb = new StringBuilder(type);
        for (StorePath ref : new TreeSet<>(references)) {
            if (!ref.storeDir().equals(storeDir)) {
                throw new IllegalArgumentException("reference " + ref + " is not in " + storeDir);
            }
            sb.append(':').append(ref.absolute());
        }
        if (self) {
            sb.append(":self");
        }
        return sb.toString();
    }
}
