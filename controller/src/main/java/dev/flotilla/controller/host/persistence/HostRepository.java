package dev.flotilla.controller.host.persistence;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class HostRepository implements PanacheRepository<HostEntity> {

    public Optional<HostEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /** All hosts by name, or only those carrying {@code tag}. */
    public PanacheQuery<HostEntity> search(String tag) {
        if (tag == null) {
            return findAll(Sort.by("name"));
        }
        // jsonb_exists is PostgreSQL's "?" operator: the tag is one of the array's strings.
        return find("from HostEntity h where function('jsonb_exists', h.tags, ?1) = true order by h.name", tag);
    }

    public List<HostEntity> all() {
        return listAll(Sort.by("name"));
    }
}
