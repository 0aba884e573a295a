package dev.flotilla.controller.rollout.service;

import dev.flotilla.deploy.rollout.HostState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The gauge {@code flotilla_rollout_hosts_current{state}}: how many hosts of the rollouts not yet ended
 * (queued, running, waiting for an operator) are in each state now, fleet-wide (read from the database, so
 * every replica reports the same). One grouped query serves every state for a second, so a scrape costs
 * at most one query.
 */
@Startup
@ApplicationScoped
public class HostStateGauges {

    private static final Logger LOG = Logger.getLogger(HostStateGauges.class);
    private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final String COUNTS = """
            select h.state, count(*) from rollout_host h join rollout r on r.id = h.rollout_id
            where r.state in ('PENDING', 'RUNNING', 'AWAITING_APPROVAL', 'PAUSED') group by h.state""";

    private final DataSource db;
    private Map<HostState, Long> counts = new EnumMap<>(HostState.class);
    private long readAt = Long.MIN_VALUE;

    public HostStateGauges(DataSource db, MeterRegistry registry) {
        this.db = db;
        for (HostState s : HostState.values()) {
            Gauge.builder("flotilla.rollout.hosts.current", this, g -> g.count(s))
                    .tag("state", s.name()).description("Hosts of unfinished rollouts in this state").register(registry);
        }
    }

    private synchronized double count(HostState state) {
        long now = System.nanoTime();
        if (readAt == Long.MIN_VALUE || now - readAt > MAX_AGE_NANOS) {
            counts = read();
            readAt = now;
        }
        return counts.getOrDefault(state, 0L);
    }

    private Map<HostState, Long> read() {
        Map<HostState, Long> out = new EnumMap<>(HostState.class);
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(COUNTS); ResultSet r = ps.executeQuery()) {
            while (r.next()) {
                out.put(HostState.valueOf(r.getString(1)), r.getLong(2));
            }
        } catch (SQLException | IllegalArgumentException e) {
            LOG.warnf("cannot count host states for the metrics: %s", e.getMessage());
        }
        return out;
    }
}
