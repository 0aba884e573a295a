package dev.flotilla.controller.rollout.persistence;

import dev.flotilla.controller.rollout.domain.RolloutState;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

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
     * Locks up to {@code limit} in-flight rollouts nobody drives, oldest first: queued (no owner), their
     * lease ran out, or they belong to {@code me} (a previous run of this replica) but are not among
     * {@code mine} (what it drives now). Rows another transaction holds are skipped, so replicas never
     * claim the same rollout twice and never wait for each other.
     */
    @SuppressWarnings("unchecked")
    public List<Long> lockClaimable(String me, Collection<Long> mine, Instant now, int limit) {
        return getEntityManager().createNativeQuery("""
                select id from rollout
                where state in ('PENDING', 'RUNNING')
                  and (owner is null or owner = :me or lease_until is null or lease_until < :now)
                  and not (id = any (cast(:mine as bigint[])))
                order by id limit :limit for update skip locked""", Long.class)
                .setParameter("me", me).setParameter("now", now).setParameter("limit", limit)
                .setParameter("mine", mine.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}")))
                .getResultList();
    }

    /** Extends a lease if {@code owner} still holds it with token {@code epoch}; 0 if not. */
    public int renew(long id, String owner, long epoch, Instant until) {
        return update("leaseUntil = ?1 where id = ?2 and owner = ?3 and leaseEpoch = ?4 and state in ?5", until, id, owner, epoch,
                List.of(RolloutState.PENDING, RolloutState.RUNNING));
    }

    /** Ends {@code owner}'s leases now (it is stopping), keeping it as owner so a restart under its name takes them back. */
    public int expireLeases(String owner, Instant now) {
        return update("leaseUntil = ?1 where owner = ?2 and state in ?3", now, owner, List.of(RolloutState.PENDING, RolloutState.RUNNING));
    }
}
