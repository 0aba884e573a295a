package dev.flotilla.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code .narinfo} text of a path (spec §6.2), as Nix writes it for an uncompressed binary
 * cache, and a parser following Nix 2.8's rules. The store's own metadata files use the same text
 * plus a {@code RegistrationTime:} line, which Nix ignores as an unknown key.
 */
public final class NarInfo {
    private NarInfo() {
    }

    /** Exactly the lines {@code nix copy --to file://…?compression=none} writes (without {@code CA}). */
    public static String render(PathInfo info) {
        String nar = info.narHash().toPrefixedNix32();
        StringBuilder sb = new StringBuilder();
        line(sb, "StorePath", info.path().absolute());
        line(sb, "URL", "nar/" + info.narHash().toNix32() + ".nar");
        line(sb, "Compression", "none");
        line(sb, "FileHash", nar);
        line(sb, "FileSize", Long.toString(info.narSize()));
        line(sb, "NarHash", nar);
        line(sb, "NarSize", Long.toString(info.narSize()));
        List<String> refs = new ArrayList<>();
        info.references().forEach(r -> refs.add(r.baseName()));
        line(sb, "References", String.join(" ", refs));
        if (info.deriver() != null) {
            line(sb, "Deriver", info.deriver().baseName());
        }
        for (Signature sig : info.signatures()) {
            line(sb, "Sig", sig.toString());
        }
        return sb.toString();
    }

    /** {@link #render} plus the registration time, in seconds since the epoch. */
    public static String renderWithRegistration(PathInfo info) {
        return render(info) + "RegistrationTime: " + info.registrationTime().getEpochSecond() + "\n";
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(key).append(": ").append(value).append('\n');
    }

    /**
     * Parses narinfo text. {@code StorePath}, {@code NarHash} and a positive {@code NarSize} are
     * required; unknown keys are ignored; the path must be in {@code storeDir}.
     */
    public static PathInfo parse(StoreDir storeDir, String text) throws StoreException {
        StorePath path = null;
        Hash narHash = null;
        long narSize = 0;
        Set<StorePath> refs = new TreeSet<>();
        boolean sawRefs = false;
        StorePath deriver = null;
        Set<Signature> sigs = new TreeSet<>();
        Instant registered = Instant.EPOCH;
        try {
            for (String line : text.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon < 0 || colon + 2 > line.length() || line.charAt(colon + 1) != ' ') {
                    throw new IllegalArgumentException("bad line '" + line + "'");
                }
                String key = line.substring(0, colon);
                String value = line.substring(colon + 2);
                switch (key) {
                    case "StorePath" -> path = inStore(storeDir, value);
                    case "NarHash" -> narHash = Hash.parse(value, HashAlgorithm.SHA256);
                    case "NarSize" -> narSize = Long.parseLong(value);
                    case "References" -> {
                        if (sawRefs && !refs.isEmpty()) {
                            throw new IllegalArgumentException("a second References line");
                        }
                        sawRefs = true;
                        for (String r : value.split(" ")) {
                            if (!r.isEmpty()) {
                                refs.add(StorePath.fromBaseName(storeDir, r));
                            }
                        }
                    }
                    case "Deriver" -> deriver = value.equals("unknown-deriver") ? null : StorePath.fromBaseName(storeDir, value);
                    case "Sig" -> sigs.add(Signature.parse(value));
                    case "RegistrationTime" -> registered = Instant.ofEpochSecond(Long.parseLong(value));
                    default -> {
                        // URL, Compression, FileHash, FileSize, System, CA and future keys
                    }
                }
            }
            if (path == null || narHash == null || narSize <= 0) {
                throw new IllegalArgumentException("StorePath, NarHash and a positive NarSize are required");
            }
            return new PathInfo(path, narHash, narSize, refs, deriver, sigs, registered);
        } catch (StoreException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new StoreException(ErrorCode.MALFORMED_INPUT, path == null ? null : path.absolute(),
                    "invalid narinfo: " + e.getMessage(), e);
        }
    }

    private static StorePath inStore(StoreDir storeDir, String value) throws StoreException {
        if (!storeDir.contains(value)) {
            throw new StoreException(ErrorCode.FOREIGN_STORE_DIR, value, "not in the store directory " + storeDir);
        }
        return StorePath.parse(storeDir, value);
    }
}
