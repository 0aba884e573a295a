package dev.flotilla.controller.rollout.rest;

import dev.flotilla.controller.audit.Audited;
import dev.flotilla.controller.auth.Role;
import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.common.Page;
import dev.flotilla.controller.common.PageRequest;
import dev.flotilla.controller.rollout.service.RolloutService;
import dev.flotilla.controller.rollout.service.RolloutStatusReader;
import dev.flotilla.controller.rollout.service.RolloutService.NewRollout;
import dev.flotilla.controller.rollout.service.RolloutViews.EventView;
import dev.flotilla.controller.rollout.service.RolloutViews.RolloutView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/rollouts")
@Tag(name = "rollouts")
public class RolloutResource {

    private final RolloutService rollouts;
    private final RolloutStatusReader status;
    private final SecurityIdentity identity;

    public RolloutResource(RolloutService rollouts, RolloutStatusReader status, SecurityIdentity identity) {
        this.rollouts = rollouts;
        this.status = status;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Role.OPERATE)
    @Audited("rollout.create")
    @Operation(summary = "Start a rollout of configPath to the hosts selector picks (or to an inline inventory), under a plan")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = RolloutView.class)))
    @APIResponse(responseCode = "400", description = "Invalid input; 'field' names it", content = @Content(mediaType = "application/json", schema = @Schema(implementation = dev.flotilla.controller.common.rest.ApiError.class)))
    public Response create(NewRollout body) {
        RolloutView r = rollouts.create(body, identity.getPrincipal().getName());
        return Response.created(URI.create("/api/v1/rollouts/" + r.id())).entity(r).build();
    }

    @GET
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "Rollouts, newest first, optionally in one state")
    public Page<RolloutView> list(@QueryParam("state") String state, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return rollouts.list(state, PageRequest.of(page, size));
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "A rollout with every host's state")
    public RolloutView get(@PathParam("id") long id) {
        return rollouts.get(id).orElseThrow(() -> ApiException.notFound("rollout " + id));
    }

    @GET
    @Path("{id}/status")
    @RolesAllowed(Role.VIEW)
    @NonBlocking
    @Operation(summary = "A rollout's state and counts of host states: cheap to poll")
    public Uni<RolloutStatusReader.StatusView> status(@PathParam("id") long id) {
        // Pollers are answered on the I/O thread from the view in memory; only a read of the database goes to a worker.
        Optional<RolloutStatusReader.StatusView> known = status.withoutQuery(id);
        if (known.isPresent()) {
            return Uni.createFrom().item(known.get());
        }
        return Uni.createFrom().item(() -> status.status(id).orElseThrow(() -> ApiException.notFound("rollout " + id)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @POST
    @Path("{id}/abort")
    @RolesAllowed(Role.OPERATE)
    @Audited("rollout.abort")
    @Operation(summary = "Stop a rollout for good: no host switches after this; switches in progress complete; the plan's rollback policy runs")
    public RolloutView abort(@PathParam("id") long id) {
        return rollouts.abort(id, identity.getPrincipal().getName());
    }

    @POST
    @Path("{id}/pause")
    @RolesAllowed(Role.OPERATE)
    @Audited("rollout.pause")
    @Operation(summary = "Pause a rollout before its next switch; resumable")
    public RolloutView pause(@PathParam("id") long id) {
        return rollouts.pause(id, identity.getPrincipal().getName());
    }

    @POST
    @Path("{id}/resume")
    @RolesAllowed(Role.OPERATE)
    @Audited("rollout.resume")
    @Operation(summary = "Resume a paused rollout: hosts caught mid-step are asked where they are, none switches twice")
    public RolloutView resume(@PathParam("id") long id) {
        return rollouts.resume(id, identity.getPrincipal().getName());
    }

    /** Which stage to approve; without one, the first gated stage not yet approved. */
    public record Approval(String stage) {}

    @POST
    @Path("{id}/approve")
    @RolesAllowed(Role.OPERATE)
    @Audited("rollout.approve")
    @Operation(summary = "Approve a stage's approval gate (before or while the rollout waits at it)")
    public RolloutView approve(@PathParam("id") long id, Approval body) {
        return rollouts.approve(id, body == null ? null : body.stage(), identity.getPrincipal().getName());
    }

    @GET
    @Path("{id}/events")
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "The rollout's events in order, those numbered after 'after'")
    public List<EventView> events(@PathParam("id") long id, @QueryParam("after") Long after, @QueryParam("limit") Integer limit) {
        int l = limit == null ? 500 : limit;
        if (l < 1 || l > 5000) {
            throw ApiException.invalid("limit", "limit must be between 1 and 5000, got " + l);
        }
        return rollouts.events(id, after == null ? 0 : after, l).orElseThrow(() -> ApiException.notFound("rollout " + id));
    }
}
