package dev.flotilla.controller.audit.rest;

import dev.flotilla.controller.audit.service.AuditService;
import dev.flotilla.controller.audit.service.AuditService.AuditView;
import dev.flotilla.controller.auth.Role;
import dev.flotilla.controller.common.Page;
import dev.flotilla.controller.common.PageRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/audit")
@Tag(name = "audit")
@RolesAllowed(Role.VIEW)
public class AuditResource {

    private final AuditService audit;

    public AuditResource(AuditService audit) {
        this.audit = audit;
    }

    @GET
    @Operation(summary = "Audit records, newest first; filter by actor, action or outcome")
    public Page<AuditView> list(@QueryParam("actor") String actor, @QueryParam("action") String action,
                                @QueryParam("outcome") String outcome,
                                @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return audit.search(actor, action, outcome, PageRequest.of(page, size));
    }
}
