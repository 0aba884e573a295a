package dev.flotilla.controller.fleet.persistence;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class FleetRepository implements PanacheRepository<Fleet> {

    public Optional<Fleet> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public PanacheQuery<Fleet> byName() {
        return findAll(Sort.by("name"));
    }
}
