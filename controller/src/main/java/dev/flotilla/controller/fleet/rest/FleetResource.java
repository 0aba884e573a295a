package dev.flotilla.controller.fleet.rest;

import dev.flotilla.controller.audit.Audited;
import dev.flotilla.controller.auth.Role;
import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.common.Page;
import dev.flotilla.controller.common.PageRequest;
import dev.flotilla.controller.fleet.service.FleetService;
import dev.flotilla.controller.fleet.service.FleetService.FleetView;
import dev.flotilla.controller.fleet.service.FleetService.NewFleet;
import dev.flotilla.controller.fleet.service.FleetService.RevisionView;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/fleets")
@Tag(name = "fleets")
public class FleetResource {

    private final FleetService fleets;
    private final SecurityIdentity identity;

    public FleetResource(FleetService fleets, SecurityIdentity identity) {
        this.fleets = fleets;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Role.OPERATE)
    @Audited("fleet.create")
    @Operation(summary = "Register a fleet folder (fleet.nix, inventory.yaml) on the controller host by its path")
    public Response register(NewFleet body) {
        FleetView f = fleets.register(body, actor());
        return Response.created(URI.create("/api/v1/fleets/" + f.name())).entity(f).build();
    }

    @PUT
    @Path("{name}/archive")
    @Consumes({"application/gzip", "application/x-gzip", "application/x-tar", "application/octet-stream"})
    @RolesAllowed(Role.OPERATE)
    @Audited("fleet.upload")
    @Operation(summary = "Upload the fleet folder as a tar.gz: registers the fleet, or replaces the content of an uploaded one")
    public Response upload(@PathParam("name") String name, InputStream body) {
        FleetService.Uploaded u = fleets.upload(name, body, actor());
        return (u.created() ? Response.created(URI.create("/api/v1/fleets/" + name)) : Response.ok()).entity(u.fleet()).build();
    }

    @GET
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "Fleets by name")
    public Page<FleetView> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return fleets.list(PageRequest.of(page, size));
    }

    @GET
    @Path("{name}")
    @RolesAllowed(Role.VIEW)
    public FleetView get(@PathParam("name") String name) {
        return fleets.get(name).orElseThrow(() -> ApiException.notFound("fleet '" + name + "'"));
    }

    @POST
    @Path("{name}/revisions")
    @RolesAllowed(Role.OPERATE)
    @Audited("fleet.revision")
    @Operation(summary = "Pin the fleet's current content as an immutable revision")
    public Response newRevision(@PathParam("name") String name) {
        RevisionView r = fleets.newRevision(name, actor());
        return Response.created(URI.create("/api/v1/fleets/" + name + "/revisions/" + r.id())).entity(r).build();
    }

    @GET
    @Path("{name}/revisions")
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "The fleet's revisions, newest first")
    public Page<RevisionView> revisions(@PathParam("name") String name, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return fleets.revisions(name, PageRequest.of(page, size));
    }

    @DELETE
    @Path("{name}/revisions/{id}")
    @RolesAllowed(Role.OPERATE)
    @Audited("fleet.revision.delete")
    @Operation(summary = "Delete a revision and its builds (its content too when nothing else pins it); 409 while a build or rollout uses it")
    public Response deleteRevision(@PathParam("name") String name, @PathParam("id") long id) {
        fleets.deleteRevision(name, id);
        return Response.noContent().build();
    }

    @GET
    @Path("{name}/revisions/{id}")
    @RolesAllowed(Role.VIEW)
    public RevisionView revision(@PathParam("name") String name, @PathParam("id") long id) {
        return fleets.revision(name, id);
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
