package dev.flotilla.store;

import java.util.Objects;

/**
 * {@code <storeDir>/<hashPart>-<name>} (spec §3). The hash part is 32 nix32 characters; the name
 * follows Nix 2.8's rules (§3.2). Ordered by base name, which for paths of one store directory is
 * the unsigned byte order Nix uses (all characters are ASCII).
 */
public record StorePath(StoreDir storeDir, String hashPart, String name) implements Comparable<StorePath> {
    public static final int HASH_LENGTH = 32;
    public static final int MAX_NAME_LENGTH = 211;

    public StorePath {
        Objects.requireNonNull(storeDir, "storeDir");
        if (hashPart == null || hashPart.length() != HASH_LENGTH || !hashPart.chars().allMatch(c -> Nix32.isDigit((char) c))) {
            throw new IllegalArgumentException("invalid store path hash part '" + hashPart + "'");
        }
        checkName(hashPart, name);
    }

    /** Throws if {@code name} is not a valid store path name (§3.2). */
    public static void checkName(String hashPart, String name) {
        String shown = hashPart + "-" + name;
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("store path '" + shown + "' has an empty name");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("store path '" + shown + "' has a name longer than " + MAX_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "+-._?=".indexOf(c) >= 0)) {
                throw new IllegalArgumentException("store path '" + shown + "' contains illegal character '" + c + "'");
            }
        }
    }

    /** Parses an absolute path {@code <storeDir>/<hash>-<name>}; anything else in or out of the store is refused. */
    public static StorePath parse(StoreDir storeDir, String absolute) {
        if (!storeDir.contains(absolute)) {
            throw new IllegalArgumentException("path '" + absolute + "' is not in the store directory " + storeDir);
        }
        return fromBaseName(storeDir, absolute.substring(storeDir.path().length() + 1));
    }

    /** Parses {@code <hash>-<name>}. */
    public static StorePath fromBaseName(StoreDir storeDir, String baseName) {
        if (baseName.length() < HASH_LENGTH + 2 || baseName.charAt(HASH_LENGTH) != '-') {
            throw new IllegalArgumentException("'" + baseName + "' is not a store path base name");
        }
        return new StorePath(storeDir, baseName.substring(0, HASH_LENGTH), baseName.substring(HASH_LENGTH + 1));
    }

    public String baseName() {
        return hashPart + "-" + name;
    }

    public String absolute() {
        return storeDir.path() + "/" + baseName();
    }

    @Override
    public int compareTo(StorePath o) {
        int c = storeDir.path().compareTo(o.storeDir.path());
        return c != 0 ? c : baseName().compareTo(o.baseName());
    }

    @Override
    public String toString() {
        return absolute();
    }
}
