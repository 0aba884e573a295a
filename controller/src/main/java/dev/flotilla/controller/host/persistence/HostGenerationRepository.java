package dev.flotilla.controller.host.persistence;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class HostGenerationRepository implements PanacheRepository<HostGeneration> {

    /** Newest first. */
    public PanacheQuery<HostGeneration> ofHost(String hostName) {
        return find("hostName", Sort.by("id", Sort.Direction.Descending), hostName);
    }
}
