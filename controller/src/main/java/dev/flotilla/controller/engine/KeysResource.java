package dev.flotilla.controller.engine;

import dev.flotilla.controller.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/controller/keys")
@Tag(name = "controller")
public class KeysResource {

    private final Engine engine;

    public KeysResource(Engine engine) {
        this.engine = engine;
    }

    @GET
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "The keys agents must accept: the SSH key to authorize and the store key to trust")
    public Engine.PublicKeys keys() {
        return engine.publicKeys();
    }
}
