package dev.flotilla.eval.store;

import java.util.SortedSet;

/** Store path computation (spec §3): {@code <storeDir>/<nix32(compress(sha256(fingerprint)))>-<name>}. */
public final class StorePaths {
    private StorePaths() {}

    public static String make(String storeDir, String type, byte[] innerSha256, String name) {
        String fingerprint = type + ":sha256:" + Hashes.hex(innerSha256) + ":" + storeDir + ":" + name;
        return storeDir + "/" + Hashes.nix32(Hashes.compress(Hashes.sha256(fingerprint), 20)) + "-" + name;
    }

    /** {@code builtins.toFile} and .drv files: type "text" plus the sorted references. */
    public static String text(String storeDir, String name, String contents, SortedSet<String> refs) {
        return make(storeDir, withRefs("text", refs), Hashes.sha256(contents), name);
    }

    /** A path added recursively with sha256 ("source"), or any fixed-output path. */
    public static String fixed(String storeDir, boolean recursive, String algo, byte[] hash, String name) {
        if (recursive && algo.equals("sha256")) return make(storeDir, "source", hash, name);
        String inner = "fixed:out:" + (recursive ? "r:" : "") + algo + ":" + Hashes.hex(hash) + ":";
        return make(storeDir, "output:out", Hashes.sha256(inner), name);
    }

    private static String withRefs(String type, SortedSet<String> refs) {
        StringBuilder sb = new StringBuilder(type);
        for (String r : refs) sb.append(':').append(r);
        return sb.toString();
    }

    /** Nix 2.8's store path name rules: null if {@code name} is valid, else what is wrong ("has an empty name", ...). */
    public static String checkName(String name) {
        if (name.isEmpty()) return "has an empty name";
        if (name.length() > 211) return "has a name longer than 211 characters";
        for (char c : name.toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "+-._?=".indexOf(c) >= 0;
            if (!ok) return "contains illegal character '" + c + "'";
        }
        return null;
    }
}
