package dev.flotilla.controller.fleet.persistence;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
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

    /** A revision's builds, newest first. */
    public PanacheQuery<BuildRun> ofRevision(long revisionId) {
        return find("revisionId", Sort.descending("id"), revisionId);
    }

    /** Per build of {@code buildIds}: how many hosts it has and how many failed, as {@code [buildId, hosts, failed]}. */
    public List<Object[]> hostCounts(List<Long> buildIds) {
        if (buildIds.isEmpty()) {
            return List.of();
        }
        return getEntityManager().createQuery("select buildId, count(*), sum(case when state = ?2 then 1 else 0 end) from BuildHost"
                        + " where buildId in ?1 group by buildId", Object[].class)
                .setParameter(1, buildIds).setParameter(2, BuildHost.State.FAILED).getResultList();
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
