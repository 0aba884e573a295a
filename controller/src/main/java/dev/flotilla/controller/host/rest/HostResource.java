package dev.flotilla.controller.host.rest;

import dev.flotilla.controller.audit.Audited;
import dev.flotilla.controller.auth.Role;
import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.common.Page;
import dev.flotilla.controller.common.PageRequest;
import dev.flotilla.controller.host.service.HostInput;
import dev.flotilla.controller.host.service.HostInspector;
import dev.flotilla.controller.host.service.HostService;
import dev.flotilla.controller.host.service.HostService.GenerationView;
import dev.flotilla.controller.host.service.HostView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/hosts")
@Tag(name = "hosts")
public class HostResource {

    private final HostService hosts;
    private final HostInspector inspector;

    public HostResource(HostService hosts, HostInspector inspector) {
        this.hosts = hosts;
        this.inspector = inspector;
    }

    @GET
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "List hosts by name, optionally only those with a tag")
    public Page<HostView> list(@QueryParam("tag") String tag, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return hosts.list(tag, PageRequest.of(page, size));
    }

    @GET
    @Path("{name}")
    @RolesAllowed(Role.VIEW)
    public HostView get(@PathParam("name") String name) {
        return hosts.get(name).orElseThrow(() -> ApiException.notFound("host '" + name + "'"));
    }

    @POST
    @RolesAllowed(Role.OPERATE)
    @Audited("host.create")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = "application/json", schema = @Schema(implementation = HostView.class)))
    @APIResponse(responseCode = "400", description = "Invalid input; 'field' names it", content = @Content(mediaType = "application/json", schema = @Schema(implementation = dev.flotilla.controller.common.rest.ApiError.class)))
    public Response create(HostInput body) {
        HostView h = hosts.create(body);
        return Response.created(URI.create("/api/v1/hosts/" + h.name())).entity(h).build();
    }

    @PUT
    @Path("{name}")
    @RolesAllowed(Role.OPERATE)
    @Audited("host.update")
    public HostView replace(@PathParam("name") String name, HostInput body) {
        return hosts.replace(name, body).orElseThrow(() -> ApiException.notFound("host '" + name + "'"));
    }

    @DELETE
    @Path("{name}")
    @RolesAllowed(Role.OPERATE)
    @Audited("host.delete")
    public Response delete(@PathParam("name") String name) {
        if (!hosts.delete(name)) {
            throw ApiException.notFound("host '" + name + "'");
        }
        return Response.noContent().build();
    }

    @GET
    @Path("{name}/generations")
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "Generations rollouts left this host on, newest first")
    public Page<GenerationView> generations(@PathParam("name") String name, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return hosts.generations(name, PageRequest.of(page, size)).orElseThrow(() -> ApiException.notFound("host '" + name + "'"));
    }

    @GET
    @Path("{name}/live")
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "Ask the host's agent now: its current generation, active system and every generation it keeps (502 if unreachable)")
    public HostInspector.LiveView live(@PathParam("name") String name) {
        return inspector.live(name).orElseThrow(() -> ApiException.notFound("host '" + name + "'"));
    }

    @GET
    @Path("{name}/drift")
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "Ask the host's agent whether it drifted: another system than the controller last left, or managed files changed by hand")
    public HostInspector.DriftView drift(@PathParam("name") String name) {
        return inspector.drift(name).orElseThrow(() -> ApiException.notFound("host '" + name + "'"));
    }
}
