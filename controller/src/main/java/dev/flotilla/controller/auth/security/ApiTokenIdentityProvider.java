package dev.flotilla.controller.auth.security;

import dev.flotilla.controller.auth.service.TokenCache;
import dev.flotilla.controller.auth.service.TokenService;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Looks a bearer token up by its hash; the identity gets the token's role and every role it includes. */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final TokenService tokens;
    private final TokenCache cache;

    public ApiTokenIdentityProvider(TokenService tokens, TokenCache cache) {
        this.tokens = tokens;
        this.cache = cache;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String secret = request.getToken().getToken();
        var known = cache.get(secret);
        if (known.isPresent()) {
            return Uni.createFrom().item(identity(known.get(), request));
        }
        return context.runBlocking(() -> cache.put(secret, tokens.authenticate(secret))
                .map(caller -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(caller.name()))
                        .addRoles(caller.role().grants())
                        .addCredential(request.getToken())
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("unknown or revoked API token")));
    }

    private static SecurityIdentity identity(TokenService.Caller caller, TokenAuthenticationRequest request) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.name()))
                .addRoles(caller.role().grants())
                .addCredential(request.getToken())
                .build();
    }
}
