package dev.flotilla.controller.host.rest;

import dev.flotilla.controller.auth.Role;
import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.host.service.HostInspector;
import dev.flotilla.controller.host.service.HostSelector;
import dev.flotilla.controller.host.service.HostService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/drift")
@Tag(name = "hosts")
public class DriftResource {

    private final HostService hosts;
    private final HostInspector inspector;

    public DriftResource(HostService hosts, HostInspector inspector) {
        this.hosts = hosts;
        this.inspector = inspector;
    }

    @GET
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "Ask the agents of the selected hosts whether they drifted; unreachable hosts are listed with an error")
    public HostInspector.DriftReport drift(@QueryParam("selector") String selector) {
        if (selector == null || selector.isBlank()) {
            throw ApiException.invalid("selector", "selector is required ('*' for every host)");
        }
        return inspector.drift(hosts.select(HostSelector.parse(selector, "selector"), "selector"));
    }
}
