package dev.flotilla.controller.rollout.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import dev.flotilla.deploy.rollout.HostState;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class RolloutHostRepository implements PanacheRepository<RolloutHost> {

    /** In inventory order. */
    public List<RolloutHost> ofRollout(long rolloutId) {
        return list("rolloutId", Sort.by("position"), rolloutId);
    }

    /** How many hosts of each rollout are in each state, in one query. */
    public Map<Long, Map<HostState, Long>> stateCounts(Collection<Long> rolloutIds) {
        Map<Long, Map<HostState, Long>> out = new HashMap<>();
        if (rolloutIds.isEmpty()) {
            return out;
        }
        List<Object[]> rows = getEntityManager().createQuery(
                "select h.rolloutId, h.state, count(h) from RolloutHost h where h.rolloutId in :ids group by h.rolloutId, h.state",
                Object[].class).setParameter("ids", rolloutIds).getResultList();
        for (Object[] row : rows) {
            out.computeIfAbsent((Long) row[0], k -> new EnumMap<>(HostState.class)).put((HostState) row[1], (Long) row[2]);
        }
        return out;
    }

    public Optional<RolloutHost> find(long rolloutId, String hostName) {
        return find("rolloutId = ?1 and hostName = ?2", rolloutId, hostName).firstResultOptional();
    }
}
