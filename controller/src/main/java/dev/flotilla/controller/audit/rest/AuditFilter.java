package dev.flotilla.controller.audit.rest;

import dev.flotilla.controller.audit.Audited;
import dev.flotilla.controller.audit.service.AuditService;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Writes an audit record for every mutating {@code /api/v1} call, whatever its outcome. */
public class AuditFilter {

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final AuditService audit;
    private final CurrentVertxRequest request;

    public AuditFilter(AuditService audit, CurrentVertxRequest request) {
        this.audit = audit;
        this.request = request;
    }

    @ServerResponseFilter
    public void afterCall(ContainerRequestContext req, ContainerResponseContext res, ResourceInfo resource) {
        String method = req.getMethod();
        String path = req.getUriInfo().getPath();
        if (!MUTATING.contains(method) || !path.startsWith("/api/v1")) {
            return;
        }
        String action = method + " " + path;
        if (resource != null && resource.getResourceMethod() != null) {
            Audited a = resource.getResourceMethod().getAnnotation(Audited.class);
            if (a != null) {
                action = a.value();
            }
        }
        int status = res.getStatus();
        String detail = null;
        if (status >= 400 && res.getEntity() instanceof dev.flotilla.controller.common.rest.ApiError e) {
            detail = e.code() + ": " + e.message();
        }
        audit.record(new AuditService.Entry(actor(), action, method, path, status, detail));
    }

    private String actor() {
        RoutingContext rc = request.getCurrent();
        if (rc != null && rc.user() instanceof QuarkusHttpUser u && !u.getSecurityIdentity().isAnonymous()) {
            return u.getSecurityIdentity().getPrincipal().getName();
        }
        return "anonymous";
    }
}
