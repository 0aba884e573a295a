package dev.flotilla.controller.auth.persistence;

import dev.flotilla.controller.auth.Role;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class ApiTokenRepository implements PanacheRepository<ApiToken> {

    public Optional<ApiToken> findActiveByHash(String hash) {
        return find("tokenHash = ?1 and revokedAt is null", hash).firstResultOptional();
    }

    public Optional<ApiToken> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public long countActive(Role role) {
        return count("role = ?1 and revokedAt is null", role);
    }

    public io.quarkus.hibernate.orm.panache.PanacheQuery<ApiToken> listAll(boolean includeRevoked) {
        return includeRevoked ? findAll(Sort.by("id")) : find("revokedAt is null", Sort.by("id"));
    }
}
