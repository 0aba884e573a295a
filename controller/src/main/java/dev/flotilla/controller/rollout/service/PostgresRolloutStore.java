package dev.flotilla.controller.rollout.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.deploy.Step;
import dev.flotilla.deploy.rollout.Goal;
import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.deploy.rollout.HostState;
import dev.flotilla.deploy.rollout.RolloutRecord;
import dev.flotilla.deploy.rollout.RolloutStatus;
import dev.flotilla.deploy.rollout.RolloutStore;
import dev.flotilla.deploy.rollout.StageRecord;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The controller's {@link RolloutStore}: a rollout row (stages, reason) and a row per host, in
 * PostgreSQL, written by one replica's run under its {@link Lease}.
 *
 * <p>Each {@link #save} is one transaction that locks the rollout row, checks the lease's owner and
 * fencing token (a replica that lost the rollout writes nothing: {@link LeaseLost}), updates only the
 * host rows that changed since the last save, and appends the events the run emitted since (numbered
 * under the same lock, so gap-free in commit order). The engine coalesces bursts of transitions into
 * one save, so a host costs a handful of row writes per rollout. A claim is the lease itself, taken by
 * {@link RolloutRecorder#claim}; {@link #claim} only checks it is still held.
 */
public final class PostgresRolloutStore implements RolloutStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String LOCK = "select owner, lease_epoch, next_seq, state from rollout where id = ? for update";
    private static final String UPDATE_ROLLOUT = """
            update rollout set stages = cast(? as jsonb), reason = ?, next_seq = ?, planned = true, started_at = coalesce(started_at, ?),
                   engine_status = ?, saves = saves + 1
            where id = ?""";
    private static final String UPDATE_HOST = """
            update rollout_host set position = ?, state = ?, stage = ?, batch = ?, toplevel = ?, target_generation = ?,
                   from_generation = ?, from_system = ?, to_generation = ?, changed = ?, failed = ?, failed_step = ?,
                   reason = ?, detail = ?, paths_sent = ?, bytes_sent = ?, updated_at = ?
            where rollout_id = ? and host_name = ?""";
    private static final String INSERT_EVENT = """
            insert into rollout_event (rollout_id, seq, at, kind, host_name, state, detail) values (?, ?, ?, ?, ?, ?, ?)""";
    private static final String LOAD_ROLLOUT = """
            select goal, engine_status, created_at, description, plan, stages, reason, planned from rollout where id = ?""";
    private static final String LOAD_HOSTS = """
            select host_name, host ->> 'address', cast(host ->> 'port' as integer), host ->> 'hostKey', stage, batch, toplevel,
                   target_generation, from_generation, from_system, to_generation, changed, state, failed, failed_step, reason,
                   detail, paths_sent, bytes_sent, updated_at
            from rollout_host where rollout_id = ? order by position""";

    private final DataSource db;
    private final Optional<Lease> lease;
    private final EventBuffer events;
    private final Runnable afterSave;
    /** What the last save wrote, to write only what changed since. */
    private RolloutRecord saved;
    private long rowsWritten;

    /** A store that writes as {@code lease}'s holder, appending {@code events} with each save and then calling {@code afterSave}. */
    public PostgresRolloutStore(DataSource db, Lease lease, EventBuffer events, Runnable afterSave) {
        this.db = db;
        this.lease = Optional.of(lease);
        this.events = events;
        this.afterSave = afterSave;
    }

    /** A store that only reads. */
    public PostgresRolloutStore(DataSource db) {
        this.db = db;
        this.lease = Optional.empty();
        this.events = new EventBuffer();
        this.afterSave = () -> {};
    }

    /** Rows inserted or updated by this store so far (for the benchmark's writes-per-host figure). */
    public synchronized long rowsWritten() {
        return rowsWritten;
    }

    @Override
    public synchronized void save(RolloutRecord rollout) throws IOException {
        Lease l = lease.orElseThrow(() -> new IllegalStateException("this rollout store only reads"));
        long id = number(rollout.id());
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                long nextSeq = fence(c, l);
                List<EventBuffer.Entry> drained = events.drain();
                int written = writeHosts(c, id, rollout);
                try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
                    for (EventBuffer.Entry e : drained) {
                        ps.setLong(1, id);
                        ps.setLong(2, nextSeq++);
                        ps.setTimestamp(3, Timestamp.from(e.at()));
                        ps.setString(4, e.kind().name());
                        ps.setString(5, e.host());
                        ps.setString(6, e.state());
                        ps.setString(7, e.detail());
                        ps.addBatch();
                    }
                    if (!drained.isEmpty()) {
                        ps.executeBatch();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(UPDATE_ROLLOUT)) {
                    ps.setString(1, stagesJson(rollout.stages()));
                    ps.setString(2, rollout.reason().isEmpty() ? null : rollout.reason());
                    ps.setLong(3, nextSeq);
                    ps.setTimestamp(4, Timestamp.from(rollout.updated()));
                    ps.setString(5, rollout.status().name());
                    ps.setLong(6, id);
                    ps.executeUpdate();
                }
                c.commit();
                saved = rollout;
                rowsWritten += 1 + written + drained.size();
                afterSave.run();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("cannot save rollout " + id + ": " + e.getMessage(), e);
        }
    }

    /** Locks the rollout row and checks the lease; returns the next event number. */
    private static long fence(Connection c, Lease l) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOCK)) {
            ps.setLong(1, l.rollout());
            try (ResultSet r = ps.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("no rollout " + l.rollout());
                }
                String owner = r.getString(1);
                long epoch = r.getLong(2);
                if (!l.owner().equals(owner) || epoch != l.epoch()) {
                    throw new LeaseLost(l, owner, epoch);
                }
                return r.getLong(3);
            }
        }
    }

    private int writeHosts(Connection c, long id, RolloutRecord rollout) throws SQLException {
        Map<String, HostRecord> before = new HashMap<>();
        if (saved != null) {
            saved.hosts().forEach(h -> before.put(h.name(), h));
        }
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(UPDATE_HOST)) {
            List<HostRecord> hosts = rollout.hosts();
            for (int i = 0; i < hosts.size(); i++) {
                HostRecord h = hosts.get(i);
                if (h.equals(before.get(h.name()))) {
                    continue;
                }
                ps.setInt(1, i);
                ps.setString(2, h.state().name());
                ps.setString(3, h.stage());
                ps.setInt(4, h.batch());
                ps.setString(5, h.toplevel().isEmpty() ? null : h.toplevel());
                ps.setInt(6, h.targetGeneration());
                if (h.knowsOrigin()) {
                    ps.setInt(7, h.fromGeneration());
                } else {
                    ps.setNull(7, Types.INTEGER);
                }
                ps.setString(8, h.fromSystem().isEmpty() ? null : h.fromSystem());
                if (h.generation() > 0) {
                    ps.setInt(9, h.generation());
                } else {
                    ps.setNull(9, Types.INTEGER);
                }
                ps.setBoolean(10, h.changed());
                ps.setBoolean(11, h.failed());
                ps.setString(12, h.failedStep().map(Step::name).orElse(null));
                ps.setString(13, h.failure().isEmpty() ? null : h.failure());
                ps.setString(14, h.detail().isEmpty() ? null : h.detail());
                ps.setInt(15, h.pathsSent());
                ps.setLong(16, h.bytesSent());
                ps.setTimestamp(17, Timestamp.from(h.updated()));
                ps.setLong(18, id);
                ps.setString(19, h.name());
                ps.addBatch();
                n++;
            }
            if (n > 0) {
                for (int count : ps.executeBatch()) {
                    if (count == 0) {
                        throw new IllegalStateException("rollout " + id + " has a host the database does not");
                    }
                }
            }
        }
        return n;
    }

    @Override
    public Optional<RolloutRecord> load(String id) throws IOException {
        long number;
        try {
            number = number(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try (Connection c = db.getConnection()) {
            Optional<RolloutRecord> r = read(c, number);
            r.ifPresent(this::remember);
            return r;
        } catch (SQLException e) {
            throw new IOException("cannot read rollout " + id + ": " + e.getMessage(), e);
        }
    }

    private synchronized void remember(RolloutRecord r) {
        if (lease.isPresent() && lease.get().rollout() == number(r.id())) {
            saved = r;
        }
    }

    /** Every planned rollout, newest first (each read whole: meant for history of modest size). */
    @Override
    public List<RolloutRecord> list() throws IOException {
        List<RolloutRecord> out = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select id from rollout where planned order by id desc")) {
            List<Long> ids = new ArrayList<>();
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getLong(1));
                }
            }
            for (long id : ids) {
                read(c, id).ifPresent(out::add);
            }
        } catch (SQLException e) {
            throw new IOException("cannot list rollouts: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public Claim claim(String id) throws IOException {
        Lease l = lease.orElseThrow(() -> new RolloutBusyException(id));
        if (l.rollout() != number(id)) {
            throw new RolloutBusyException(id);
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                fence(c, l);
            } finally {
                c.rollback();
            }
        } catch (LeaseLost e) {
            throw new RolloutBusyException(id);
        } catch (SQLException e) {
            throw new IOException("cannot check the lease of rollout " + id + ": " + e.getMessage(), e);
        }
        // The lease outlives the run: the recorder ends it when the rollout is recorded as finished.
        return () -> {};
    }

    private static Optional<RolloutRecord> read(Connection c, long id) throws SQLException {
        Goal goal;
        String state;
        Instant created;
        String description;
        String plan;
        String stages;
        String reason;
        try (PreparedStatement ps = c.prepareStatement(LOAD_ROLLOUT)) {
            ps.setLong(1, id);
            try (ResultSet r = ps.executeQuery()) {
                if (!r.next() || !r.getBoolean(8)) {
                    return Optional.empty();
                }
                goal = Goal.valueOf(r.getString(1));
                state = r.getString(2);
                created = instant(r, 3);
                description = r.getString(4);
                plan = r.getString(5);
                stages = r.getString(6);
                reason = r.getString(7);
            }
        }
        List<HostRecord> hosts = new ArrayList<>();
        Instant updated = created;
        try (PreparedStatement ps = c.prepareStatement(LOAD_HOSTS)) {
            ps.setLong(1, id);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    int from = r.getInt(9);
                    boolean knows = !r.wasNull();
                    String step = r.getString(15);
                    HostRecord h = new HostRecord(r.getString(1), r.getString(2), r.getInt(3), r.getString(4), r.getString(5),
                            r.getInt(6), r.getString(7), r.getInt(8), knows ? from : -1, r.getString(10), r.getInt(11),
                            r.getBoolean(12), HostState.valueOf(r.getString(13)), r.getBoolean(14),
                            Optional.ofNullable(step).map(Step::valueOf), r.getString(16), r.getString(17), r.getInt(18),
                            r.getLong(19), instant(r, 20));
                    hosts.add(h);
                    updated = h.updated().isAfter(updated) ? h.updated() : updated;
                }
            }
        }
        return Optional.of(new RolloutRecord(Long.toString(id), goal, RolloutStatus.valueOf(state), created, updated, description, plan,
                parseStages(stages), hosts, reason));
    }

    static String stagesJson(List<StageRecord> stages) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (StageRecord s : stages) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("status", s.status().name());
            m.put("approved", s.approved());
            s.pauseUntil().ifPresent(t -> m.put("pauseUntil", t.toString()));
            out.add(m);
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<StageRecord> parseStages(String json) {
        List<Map<String, Object>> raw;
        try {
            raw = JSON.readValue(json == null ? "[]" : json, new TypeReference<>() {});
        } catch (IOException e) {
            throw new IllegalStateException("stored stages are not JSON: " + e.getMessage(), e);
        }
        return raw.stream().map(m -> new StageRecord((String) m.get("name"), StageRecord.Status.valueOf((String) m.get("status")),
                Boolean.TRUE.equals(m.get("approved")), Optional.ofNullable((String) m.get("pauseUntil")).map(Instant::parse))).toList();
    }

    static long number(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a controller rollout id: " + id, e);
        }
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
