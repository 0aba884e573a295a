package dev.flotilla.controller.rollout.rest;

import dev.flotilla.controller.audit.Audited;
import dev.flotilla.controller.auth.Role;
import dev.flotilla.controller.rollout.service.RolloutService;
import dev.flotilla.controller.rollout.service.RolloutService.NewRollback;
import dev.flotilla.controller.rollout.service.RolloutViews.RolloutView;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Rollbacks are rollouts of the goal {@code ROLLBACK}: created here, then read, streamed and controlled under /rollouts. */
@Path("/api/v1/rollbacks")
@Tag(name = "rollouts")
public class RollbackResource {

    private final RolloutService rollouts;
    private final SecurityIdentity identity;

    public RollbackResource(RolloutService rollouts, SecurityIdentity identity) {
        this.rollouts = rollouts;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Role.OPERATE)
    @Audited("rollback.create")
    @Operation(summary = "Return the hosts selector picks (one, some, or '*' for the fleet) to their previous generation, "
            + "to generation toGeneration, or to what rollout toRollout left them on")
    public Response create(NewRollback body) {
        RolloutView r = rollouts.rollback(body, identity.getPrincipal().getName());
        return Response.created(URI.create("/api/v1/rollouts/" + r.id())).entity(r).build();
    }
}
