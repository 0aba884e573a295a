package dev.flotilla.controller.fleet.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class BuildRunRepository implements PanacheRepository<BuildRun> {

    public Optional<BuildRun> ofRevision(long revisionId, long id) {
        return find("revisionId = ?1 and id = ?2", revisionId, id).firstResultOptional();
    }

    public List<BuildHost> hosts(long buildId) {
        return getEntityManager().createQuery("from BuildHost where buildId = ?1 order by hostName", BuildHost.class)
                .setParameter(1, buildId).getResultList();
    }

    public Optional<BuildHost> host(long buildId, String host) {
        return getEntityManager().createQuery("from BuildHost where buildId = ?1 and hostName = ?2", BuildHost.class)
                .setParameter(1, buildId).setParameter(2, host).getResultStream().findFirst();
    }

    /** Builds a replica was running when it stopped: nobody will finish them. */
    public List<BuildRun> runningOn(String owner) {
        return list("state = ?1 and owner = ?2", Sort.by("id"), BuildRun.State.RUNNING, owner);
    }
}
