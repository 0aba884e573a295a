package dev.flotilla.controller.audit.persistence;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class AuditRepository implements PanacheRepository<AuditRecord> {

    /** Newest first, optionally only one actor's, one action's, or one outcome's. */
    public PanacheQuery<AuditRecord> search(String actor, String action, String outcome) {
        List<String> where = new ArrayList<>();
        Map<String, Object> p = new HashMap<>();
        if (actor != null) {
            where.add("actor = :actor");
            p.put("actor", actor);
        }
        if (action != null) {
            where.add("action = :action");
            p.put("action", action);
        }
        if (outcome != null) {
            where.add("outcome = :outcome");
            p.put("outcome", outcome);
        }
        Sort newestFirst = Sort.by("id", Sort.Direction.Descending);
        return where.isEmpty() ? findAll(newestFirst) : find(String.join(" and ", where), newestFirst, p);
    }
}
