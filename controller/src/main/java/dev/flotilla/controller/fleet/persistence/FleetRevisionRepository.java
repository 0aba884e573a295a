package dev.flotilla.controller.fleet.persistence;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class FleetRevisionRepository implements PanacheRepository<FleetRevision> {

    /** Newest first. */
    public PanacheQuery<FleetRevision> ofFleet(long fleetId) {
        return find("fleetId", Sort.descending("id"), fleetId);
    }

    public Optional<FleetRevision> ofFleet(long fleetId, long id) {
        return find("fleetId = ?1 and id = ?2", fleetId, id).firstResultOptional();
    }
}
