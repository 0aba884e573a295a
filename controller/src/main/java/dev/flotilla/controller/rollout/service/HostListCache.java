package dev.flotilla.controller.rollout.service;

import dev.flotilla.controller.rollout.domain.HostState;
import dev.flotilla.controller.rollout.service.RolloutViews.HostView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every host of a rollout as the API shows them, read with one projection query (no entities, the
 * host's JSON never parsed: address and port come out of it in SQL) and kept until the rollout's
 * event number moves, which every host change does.
 */
@ApplicationScoped
public class HostListCache {

    private record Entry(long version, List<HostView> hosts) {}

    private static final int MAX_CACHED = 256;

    private final EntityManager em;
    private final Map<Long, Entry> cache = new ConcurrentHashMap<>();

    public HostListCache(EntityManager em) {
        this.em = em;
    }

    /** The hosts of rollout {@code id} in inventory order, as of event number {@code version} (call inside a transaction). */
    public List<HostView> hosts(long id, long version) {
        Entry e = cache.get(id);
        if (e != null && e.version() == version) {
            return e.hosts();
        }
        List<?> rows = em.createNativeQuery("""
                select host_name, host ->> 'address', cast(host ->> 'port' as integer), state, from_generation, to_generation,
                       toplevel, reason, paths_sent, bytes_sent, updated_at
                from rollout_host where rollout_id = :id order by position""").setParameter("id", id).getResultList();
        List<HostView> hosts = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            hosts.add(new HostView((String) r[0], (String) r[1], ((Number) r[2]).intValue(), HostState.valueOf((String) r[3]),
                    integer(r[4]), integer(r[5]), (String) r[6], (String) r[7], ((Number) r[8]).intValue(), ((Number) r[9]).longValue(),
                    instant(r[10])));
        }
        List<HostView> frozen = List.copyOf(hosts);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(id, new Entry(version, frozen));
        return frozen;
    }

    private static Integer integer(Object o) {
        return o == null ? null : ((Number) o).intValue();
    }

    private static Instant instant(Object o) {
        return switch (o) {
            case null -> null;
            case Instant i -> i;
            case OffsetDateTime t -> t.toInstant();
            case java.sql.Timestamp t -> t.toInstant();
            default -> throw new IllegalStateException("unexpected timestamp type " + o.getClass());
        };
    }
}
