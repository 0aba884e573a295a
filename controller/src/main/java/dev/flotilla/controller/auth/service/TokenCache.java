package dev.flotilla.controller.auth.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens recently found valid, by hash, for a few seconds: a client polling a rollout's status costs
 * no database round trip for its token. A token revoked here stops working at once; revoked through
 * another replica, within {@link #TTL}.
 */
@ApplicationScoped
public class TokenCache {

    static final Duration TTL = Duration.ofSeconds(5);
    private static final int MAX = 10_000;

    private record Entry(TokenService.Caller caller, long until) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public Optional<TokenService.Caller> get(String secret) {
        if (secret == null || secret.length() > 200) {
            return Optional.empty();
        }
        Entry e = entries.get(TokenHash.sha256(secret.trim()));
        return e != null && System.nanoTime() - e.until() < 0 ? Optional.of(e.caller()) : Optional.empty();
    }

    /** Remembers a successful lookup; returns {@code found} unchanged. */
    public Optional<TokenService.Caller> put(String secret, Optional<TokenService.Caller> found) {
        found.ifPresent(c -> {
            if (entries.size() >= MAX) {
                entries.clear();
            }
            entries.put(TokenHash.sha256(secret.trim()), new Entry(c, System.nanoTime() + TTL.toNanos()));
        });
        return found;
    }

    public void clear() {
        entries.clear();
    }
}
