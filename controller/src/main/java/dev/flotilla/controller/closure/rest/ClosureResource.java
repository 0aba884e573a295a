package dev.flotilla.controller.closure.rest;

import dev.flotilla.controller.auth.Role;
import dev.flotilla.controller.closure.service.ClosureDiffs;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/closures")
@Tag(name = "closures")
public class ClosureResource {

    private final ClosureDiffs diffs;

    public ClosureResource(ClosureDiffs diffs) {
        this.diffs = diffs;
    }

    @GET
    @Path("diff")
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "Paths added, removed and changed between two systems (toplevels) in the controller's store")
    public ClosureDiffs.DiffView diff(@QueryParam("from") String from, @QueryParam("to") String to) {
        return diffs.between(from, to);
    }
}
