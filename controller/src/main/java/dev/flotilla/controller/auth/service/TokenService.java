package dev.flotilla.controller.auth.service;

import dev.flotilla.controller.auth.Role;
import dev.flotilla.controller.auth.persistence.ApiToken;
import dev.flotilla.controller.auth.persistence.ApiTokenRepository;
import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.common.Page;
import dev.flotilla.controller.common.PageRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** Creates, checks and revokes API tokens. */
@ApplicationScoped
public class TokenService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    /** Who a request is: the token's name and role. */
    public record Caller(String name, Role role) {}

    /** A token as listed: never its secret nor its hash. */
    public record TokenView(long id, String name, Role role, Instant createdAt, String createdBy, Instant lastUsedAt, Instant revokedAt) {
        static TokenView of(ApiToken t) {
            return new TokenView(t.id, t.name, t.role, t.createdAt, t.createdBy, t.lastUsedAt, t.revokedAt);
        }
    }

    /** A token just created: {@code secret} is shown this once. */
    public record CreatedToken(long id, String name, Role role, String secret) {}

    private final ApiTokenRepository tokens;
    private final TokenCache cache;

    public TokenService(ApiTokenRepository tokens, TokenCache cache) {
        this.tokens = tokens;
        this.cache = cache;
    }

    @Transactional
    public Optional<Caller> authenticate(String secret) {
        if (secret == null || secret.isBlank() || secret.length() > 200) {
            return Optional.empty();
        }
        return tokens.findActiveByHash(TokenHash.sha256(secret.trim())).map(t -> {
            Instant now = Instant.now();
            if (t.lastUsedAt == null || t.lastUsedAt.isBefore(now.minus(LAST_USED_GRANULARITY))) {
                t.lastUsedAt = now;
            }
            return new Caller(t.name, t.role);
        });
    }

    @Transactional
    public CreatedToken create(String name, String role, String createdBy) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.invalid("name", "token name must be 1-100 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        Role r;
        try {
            r = Role.parse(role);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("role", e.getMessage());
        }
        if (tokens.findByName(name).isPresent()) {
            throw ApiException.conflict("exists", "a token named '" + name + "' already exists", "name");
        }
        String secret = TokenHash.newSecret();
        ApiToken t = insert(name, r, TokenHash.sha256(secret), createdBy);
        return new CreatedToken(t.id, t.name, t.role, secret);
    }

    @Transactional
    public Page<TokenView> list(PageRequest page, boolean includeRevoked) {
        var q = tokens.listAll(includeRevoked).page(page.panache());
        return new Page<>(q.list(), page.page(), page.size(), q.count()).map(TokenView::of);
    }

    @Transactional
    public TokenView revoke(long id) {
        cache.clear();
        ApiToken t = tokens.findByIdOptional(id).orElseThrow(() -> ApiException.notFound("token " + id));
        if (t.active()) {
            if (t.role == Role.ADMIN && tokens.countActive(Role.ADMIN) == 1) {
                throw ApiException.conflict("last_admin", "this is the last admin token; create another admin token first", null);
            }
            t.revokedAt = Instant.now();
        }
        return TokenView.of(t);
    }

    /**
     * Makes sure an admin can get in: with {@code configured}, that secret is an admin token named
     * {@code bootstrap}; otherwise, when no admin token exists, creates one and returns its secret.
     */
    /** The advisory lock that serializes {@link #ensureAdmin} across replicas ("FLOTILL" in ASCII). */
    private static final long BOOTSTRAP_LOCK = 0x464c4f54494c4cL;

    @Transactional
    public Optional<CreatedToken> ensureAdmin(Optional<String> configured) {
        // Replicas starting together: one at a time, so exactly one creates the token.
        tokens.getEntityManager().createNativeQuery("select 1 from (select pg_advisory_xact_lock(" + BOOTSTRAP_LOCK + ")) l").getSingleResult();
        if (configured.isPresent()) {
            String hash = TokenHash.sha256(configured.get().trim());
            if (tokens.findActiveByHash(hash).isEmpty()) {
                String name = tokens.findByName("bootstrap").isPresent() ? "bootstrap-" + Instant.now().getEpochSecond() : "bootstrap";
                insert(name, Role.ADMIN, hash, "configuration");
            }
            return Optional.empty();
        }
        if (tokens.countActive(Role.ADMIN) > 0) {
            return Optional.empty();
        }
        String secret = TokenHash.newSecret();
        String name = tokens.findByName("admin").isPresent() ? "admin-" + Instant.now().getEpochSecond() : "admin";
        ApiToken t = insert(name, Role.ADMIN, TokenHash.sha256(secret), "first start");
        return Optional.of(new CreatedToken(t.id, t.name, t.role, secret));
    }

    private ApiToken insert(String name, Role role, String hash, String createdBy) {
        ApiToken t = new ApiToken();
        t.name = name;
        t.role = role;
        t.tokenHash = hash;
        t.createdAt = Instant.now();
        t.createdBy = createdBy;
        tokens.persist(t);
        return t;
    }
}
