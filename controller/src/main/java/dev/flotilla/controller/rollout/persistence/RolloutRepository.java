package dev.flotilla.controller.rollout.persistence;

import dev.flotilla.controller.rollout.domain.RolloutState;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class RolloutRepository implements PanacheRepository<Rollout> {

    /** The rollout, its row locked until the transaction ends: every writer of a rollout goes through here. */
    public Optional<Rollout> lock(long id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Newest first, optionally in one state. */
    public PanacheQuery<Rollout> search(RolloutState state) {
        Sort newestFirst = Sort.by("id", Sort.Direction.Descending);
        return state == null ? findAll(newestFirst) : find("state", newestFirst, state);
    }

    /**
     * Locks in-flight rollouts that nobody drives: their lease ran out, or they belong to {@code me}
     * (a previous run of this replica). Rows another transaction holds are skipped, so replicas never
     * claim the same rollout twice.
     */
    @SuppressWarnings("unchecked")
    public List<Long> lockAbandoned(String me, Instant now, int limit) {
        return getEntityManager().createNativeQuery("""
                select id from rollout
                where state in ('PENDING', 'RUNNING') and (owner is null or owner = :me or lease_until is null or lease_until < :now)
                order by id limit :limit for update skip locked""", Long.class)
                .setParameter("me", me).setParameter("now", now).setParameter("limit", limit)
                .getResultList();
    }

    public int renewLeases(String me, List<Long> ids, Instant until) {
        if (ids.isEmpty()) {
            return 0;
        }
        return update("leaseUntil = ?1 where owner = ?2 and id in ?3 and state in ?4", until, me, ids,
                List.of(RolloutState.PENDING, RolloutState.RUNNING));
    }
}
