package dev.flotilla.controller.rollout.service;

import dev.flotilla.deploy.rollout.HostState;
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

    private record Entry(long version, long updates, List<HostView> hosts) {}

    private static final int MAX_CACHED = 256;

    private final EntityManager em;
    private final Map<Long, Entry> cache = new ConcurrentHashMap<>();

    public HostListCache(EntityManager em) {
        this.em = em;
    }

    /** The hosts of rollout {@code id} in inventory order, as of event number {@code version} (call inside a transaction). */
    public List<HostView> hosts(long id, long version, long updates) {
        Entry e = cache.get(id);
        if (e != null && e.version() == version && e.updates() == updates) {
            return e.hosts();
        }
        List<?> rows = em.createNativeQuery("""
                select host_name, host ->> 'address', cast(host ->> 'port' as integer), state, stage, batch, from_generation,
                       to_generation, target_generation, changed, failed, failed_step, toplevel, reason, detail, paths_sent,
                       bytes_sent, updated_at
                from rollout_host where rollout_id = :id order by position""").setParameter("id", id).getResultList();
        List<HostView> hosts = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            hosts.add(new HostView((String) r[0], (String) r[1], ((Number) r[2]).intValue(), HostState.valueOf((String) r[3]),
                    (String) r[4], ((Number) r[5]).intValue(), integer(r[6]), integer(r[7]), integer(r[8]), (Boolean) r[9],
                    (Boolean) r[10], (String) r[11], (String) r[12], (String) r[13], (String) r[14], ((Number) r[15]).intValue(),
                    ((Number) r[16]).longValue(), instant(r[17])));
        }
        List<HostView> frozen = List.copyOf(hosts);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(id, new Entry(version, updates, frozen));
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
