package dev.flotilla.controller.auth.rest;

import dev.flotilla.controller.audit.Audited;
import dev.flotilla.controller.auth.Role;
import dev.flotilla.controller.auth.service.TokenService;
import dev.flotilla.controller.auth.service.TokenService.CreatedToken;
import dev.flotilla.controller.auth.service.TokenService.TokenView;
import dev.flotilla.controller.common.Page;
import dev.flotilla.controller.common.PageRequest;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/tokens")
@Tag(name = "tokens")
@RolesAllowed(Role.ADMINISTER)
public class TokenResource {

    public record NewToken(String name, String role) {}

    private final TokenService tokens;
    private final SecurityIdentity identity;

    public TokenResource(TokenService tokens, SecurityIdentity identity) {
        this.tokens = tokens;
        this.identity = identity;
    }

    @POST
    @Audited("token.create")
    @Operation(summary = "Create a token; its secret is in this response only")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedToken.class)))
    @APIResponse(responseCode = "400", description = "Invalid input; 'field' names it", content = @Content(mediaType = "application/json", schema = @Schema(implementation = dev.flotilla.controller.common.rest.ApiError.class)))
    public Response create(NewToken body) {
        NewToken b = body == null ? new NewToken(null, null) : body;
        CreatedToken t = tokens.create(b.name(), b.role(), identity.getPrincipal().getName());
        return Response.status(201).entity(t).build();
    }

    @GET
    @Operation(summary = "List tokens (never their secrets)")
    public Page<TokenView> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size,
                                @QueryParam("includeRevoked") boolean includeRevoked) {
        return tokens.list(PageRequest.of(page, size), includeRevoked);
    }

    @DELETE
    @Path("{id}")
    @Audited("token.revoke")
    @Operation(summary = "Revoke a token")
    public TokenView revoke(@PathParam("id") long id) {
        return tokens.revoke(id);
    }
}
