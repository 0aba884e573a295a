package dev.flotilla.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The public keys a store accepts signatures from (Nix's {@code trusted-public-keys}). A path is
 * trusted when at least one of its signatures verifies against the key of that name (spec §6.3).
 * Key names are unique: one name, one key.
 */
public final class TrustedKeys {
    public static final TrustedKeys NONE = new TrustedKeys(List.of());

    private final Map<String, PublicKey> byName = new TreeMap<>();

    public TrustedKeys(Collection<PublicKey> keys) {
        for (PublicKey k : keys) {
            PublicKey old = byName.putIfAbsent(k.name(), k);
            if (old != null && !old.equals(k)) {
                throw new IllegalArgumentException("two different trusted keys are named '" + k.name() + "'");
            }
        }
    }

    public static TrustedKeys of(PublicKey... keys) {
        return new TrustedKeys(List.of(keys));
    }

    /** Reads public keys, one per line or separated by blanks; {@code #} starts a comment. */
    public static TrustedKeys read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.US_ASCII));
    }

    public static TrustedKeys parse(String text) {
        List<PublicKey> keys = new ArrayList<>();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            String content = hash >= 0 ? line.substring(0, hash) : line;
            for (String token : content.trim().split("\\s+")) {
                if (!token.isEmpty()) {
                    keys.add(PublicKey.parse(token));
                }
            }
        }
        return new TrustedKeys(keys);
    }

    public Set<String> names() {
        return Set.copyOf(byName.keySet());
    }

    public Collection<PublicKey> keys() {
        return List.copyOf(byName.values());
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** The trusted key one of whose signatures on {@code info} verifies, if any. */
    public Optional<PublicKey> signer(PathInfo info) {
        String fingerprint = info.fingerprint();
        for (Signature sig : info.signatures()) {
            PublicKey key = byName.get(sig.keyName());
            if (key != null && key.verify(fingerprint, sig)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    public boolean verify(PathInfo info) {
        return signer(info).isPresent();
    }

    @Override
    public String toString() {
        return "TrustedKeys" + byName.keySet();
    }
}
