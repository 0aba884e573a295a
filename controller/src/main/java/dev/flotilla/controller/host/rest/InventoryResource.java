package dev.flotilla.controller.host.rest;

import dev.flotilla.controller.audit.Audited;
import dev.flotilla.controller.auth.Role;
import dev.flotilla.controller.host.service.HostService;
import dev.flotilla.controller.host.service.HostService.ImportResult;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/inventory")
@Tag(name = "hosts")
public class InventoryResource {

    /** An inventory in a JSON request: the file's text. */
    public record InventoryUpload(String inventory, Boolean prune) {}

    private final HostService hosts;

    public InventoryResource(HostService hosts) {
        this.hosts = hosts;
    }

    @POST
    @Path("import")
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    @RolesAllowed(Role.OPERATE)
    @Audited("inventory.import")
    @Operation(summary = "Import an inventory file (Ansible YAML); prune=true deletes hosts it does not name")
    public ImportResult importYaml(String yaml, @QueryParam("prune") boolean prune) {
        return hosts.importInventory(yaml, prune);
    }

    @POST
    @Path("import")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.OPERATE)
    @Audited("inventory.import")
    public ImportResult importJson(InventoryUpload body, @QueryParam("prune") boolean prune) {
        boolean p = prune || (body != null && Boolean.TRUE.equals(body.prune()));
        return hosts.importInventory(body == null ? null : body.inventory(), p);
    }
}
