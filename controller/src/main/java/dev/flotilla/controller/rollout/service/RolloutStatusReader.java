package dev.flotilla.controller.rollout.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.flotilla.controller.rollout.domain.HostState;
import dev.flotilla.controller.rollout.domain.RolloutState;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * A rollout's status at a glance, what dashboards and the CLI poll: one primary-key read of the
 * rollout row per request; the counts of host states (an aggregate over every host) are kept per
 * rollout and event number, and recomputed only after the rollout recorded something. Every host
 * change writes an event, so the event number is a version; since it is read from the database each
 * time, any replica serves what any other replica wrote.
 */
@ApplicationScoped
public class RolloutStatusReader {

    /** The status view. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusView(long id, RolloutState state, String owner, Instant leaseUntil, boolean abortRequested,
                             Instant createdAt, Instant startedAt, Instant finishedAt, int hosts, int done,
                             Map<HostState, Long> hostStates, long lastEvent, String summary) {}

    private record Counts(long version, Map<HostState, Long> byState, int total, int done) {}

    private static final int MAX_CACHED = 2048;
    private static final String ROW = """
            select state, owner, lease_until, abort_requested, created_at, started_at, finished_at, next_seq, summary
            from rollout where id = ?""";
    private static final String COUNTS = "select state, count(*) from rollout_host where rollout_id = ? group by state";

    private final DataSource db;
    private final Map<Long, Counts> counts = new ConcurrentHashMap<>();

    public RolloutStatusReader(DataSource db) {
        this.db = db;
    }

    /** Plain JDBC, no transaction: one statement on the primary key, plus the aggregate when the rollout moved. */
    public Optional<StatusView> status(long id) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(ROW)) {
            ps.setLong(1, id);
            try (ResultSet r = ps.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                long version = r.getLong(8);
                Counts n = counts.get(id);
                if (n == null || n.version() != version) {
                    n = count(c, id, version);
                    if (counts.size() >= MAX_CACHED) {
                        counts.clear();
                    }
                    counts.put(id, n);
                }
                return Optional.of(new StatusView(id, RolloutState.valueOf(r.getString(1)), r.getString(2), instant(r, 3),
                        r.getBoolean(4), instant(r, 5), instant(r, 6), instant(r, 7), n.total(), n.done(), n.byState(), version - 1,
                        r.getString(9)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read rollout " + id + ": " + e.getMessage(), e);
        }
    }

    private static Counts count(Connection c, long id, long version) throws SQLException {
        Map<HostState, Long> byState = new EnumMap<>(HostState.class);
        int total = 0;
        int done = 0;
        try (PreparedStatement ps = c.prepareStatement(COUNTS)) {
            ps.setLong(1, id);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    HostState state = HostState.valueOf(r.getString(1));
                    long n = r.getLong(2);
                    byState.put(state, n);
                    total += (int) n;
                    done += state.terminal() ? (int) n : 0;
                }
            }
        }
        return new Counts(version, Collections.unmodifiableMap(byState), total, done);
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
