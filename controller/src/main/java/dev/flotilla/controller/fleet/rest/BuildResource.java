package dev.flotilla.controller.fleet.rest;

import dev.flotilla.controller.audit.Audited;
import dev.flotilla.controller.auth.Role;
import dev.flotilla.controller.fleet.service.BuildService;
import dev.flotilla.controller.common.Page;
import dev.flotilla.controller.common.PageRequest;
import dev.flotilla.controller.fleet.service.BuildService.BuildSummary;
import dev.flotilla.controller.fleet.service.BuildService.BuildView;
import dev.flotilla.controller.fleet.service.BuildService.NewBuild;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/fleets/{name}/revisions/{revision}/builds")
@Tag(name = "fleets")
public class BuildResource {

    private final BuildService builds;
    private final SecurityIdentity identity;

    public BuildResource(BuildService builds, SecurityIdentity identity) {
        this.builds = builds;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Role.OPERATE)
    @Audited("fleet.build")
    @Operation(summary = "Evaluate and build the selected hosts' systems of a revision, in the background (202)")
    public Response start(@PathParam("name") String name, @PathParam("revision") long revision, NewBuild body) {
        BuildView b = builds.start(name, revision, body, identity.getPrincipal().getName());
        return Response.accepted(b).location(URI.create("/api/v1/fleets/" + name + "/revisions/" + revision + "/builds/" + b.id())).build();
    }

    @GET
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "The revision's builds, newest first, each with how many hosts it built and how many failed")
    public Page<BuildSummary> list(@PathParam("name") String name, @PathParam("revision") long revision,
                                   @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return builds.list(name, revision, PageRequest.of(page, size));
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "A build's state and each host's toplevel or error")
    public BuildView get(@PathParam("name") String name, @PathParam("revision") long revision, @PathParam("id") long id) {
        return builds.get(name, revision, id);
    }

    @GET
    @Path("{id}/log")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "The build's log: the builder's messages, then each host's outcome and its derivations' build logs")
    public String log(@PathParam("name") String name, @PathParam("revision") long revision, @PathParam("id") long id) {
        return builds.log(name, revision, id);
    }
}
