package dev.flotilla.controller.rollout.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.flotilla.deploy.rollout.HostState;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A rollout's status at a glance, what dashboards and the CLI poll. A view read from the database is
 * served for {@link #MAX_AGE_NANOS} without asking again, and once older it is still served to every
 * request but the one that reads it anew (so a burst of pollers costs one query, and no request waits
 * for a pooled connection behind the others). A read is one primary-key query of the rollout row; the
 * counts of host states (an aggregate over every host) are kept per rollout, event number and snapshot
 * save count, and recomputed only after the rollout recorded something (host rows change only in a
 * save or with an event). Both come from the database, so any replica serves what any other replica
 * wrote, at most a tenth of a second late.
 */
@ApplicationScoped
public class RolloutStatusReader {

    /** The status view. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusView(long id, RolloutState state, String owner, Instant leaseUntil, boolean abortRequested,
                             Instant createdAt, Instant startedAt, Instant finishedAt, int hosts, int done,
                             Map<HostState, Long> hostStates, long lastEvent, String summary) {}

    private record Counts(long version, long saves, Map<HostState, Long> byState, int total, int done) {}

    /** A view as read at {@code readAt} (System.nanoTime); {@code refreshing} lets one request read it anew. */
    private record Cached(StatusView view, long readAt, AtomicBoolean refreshing) {}

    /** How long a view is served without asking the database: pollers see changes at most this late. */
    static final long MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final int MAX_CACHED = 2048;
    private static final String ROW = """
            select state, owner, lease_until, abort_requested, created_at, started_at, finished_at, next_seq, summary, saves
            from rollout where id = ?""";
    private static final String COUNTS = "select state, count(*) from rollout_host where rollout_id = ? group by state";

    private final DataSource db;
    private final Map<Long, Counts> counts = new ConcurrentHashMap<>();
    private final Map<Long, Cached> views = new ConcurrentHashMap<>();

    public RolloutStatusReader(DataSource db) {
        this.db = db;
    }

    /**
     * The status when it needs no query: fresh enough, or being read anew by another request. Safe on an
     * event-loop thread; when empty, call {@link #status} on a worker thread.
     */
    public Optional<StatusView> withoutQuery(long id) {
        Cached c = views.get(id);
        if (c != null && (System.nanoTime() - c.readAt() < MAX_AGE_NANOS || c.refreshing().get())) {
            return Optional.of(c.view());
        }
        return Optional.empty();
    }

    /** The rollout's status, at most {@link #MAX_AGE_NANOS} old (or one read older while another request reads it). */
    public Optional<StatusView> status(long id) {
        Cached c = views.get(id);
        long now = System.nanoTime();
        if (c != null && (now - c.readAt() < MAX_AGE_NANOS || !c.refreshing().compareAndSet(false, true))) {
            return Optional.of(c.view());
        }
        try {
            Optional<StatusView> read = read(id);
            if (read.isPresent()) {
                if (views.size() >= MAX_CACHED) {
                    views.clear();
                }
                views.put(id, new Cached(read.get(), now, new AtomicBoolean()));
            } else {
                views.remove(id);
            }
            return read;
        } finally {
            if (c != null) {
                c.refreshing().set(false);
            }
        }
    }

    /** Plain JDBC, no transaction: one statement on the primary key, plus the aggregate when the rollout moved. */
    private Optional<StatusView> read(long id) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(ROW)) {
            ps.setLong(1, id);
            try (ResultSet r = ps.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                long version = r.getLong(8);
                long saves = r.getLong(10);
                Counts n = counts.get(id);
                if (n == null || n.version() != version || n.saves() != saves) {
                    n = count(c, id, version, saves);
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

    private static Counts count(Connection c, long id, long version, long saves) throws SQLException {
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
                    done += state.settled() ? (int) n : 0;
                }
            }
        }
        return new Counts(version, saves, Collections.unmodifiableMap(byState), total, done);
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
