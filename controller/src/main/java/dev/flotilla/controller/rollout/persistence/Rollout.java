package dev.flotilla.controller.rollout.persistence;

import dev.flotilla.controller.rollout.domain.RolloutState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import dev.flotilla.deploy.rollout.Goal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One rollout (a deploy of a fleet configuration, or a rollback) of a set of hosts under a plan. {@code owner}, {@code leaseUntil} and
 * {@code leaseEpoch} say which controller replica drives it, until when, and with which fencing token;
 * {@code nextSeq} numbers its events, under the row's lock.
 */
@Entity
@Table(name = "rollout")
public class Rollout {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public RolloutState state;

    @Column(name = "config_path", nullable = false, columnDefinition = "text")
    public String configPath;

    @Column(columnDefinition = "text")
    public String selector;

    @Column(nullable = false)
    public int parallelism;

    @Column(nullable = false, length = 16)
    public String mode;

    @Column(name = "created_by", nullable = false, length = 100)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "abort_requested", nullable = false)
    public boolean abortRequested;

    @Column(length = 100)
    public String owner;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    /** The fencing token: raised at every claim (and at the end), checked by every write of the driver. */
    @Column(name = "lease_epoch", nullable = false)
    public long leaseEpoch;

    @Column(name = "next_seq", nullable = false)
    public long nextSeq = 1;

    @Column(columnDefinition = "text")
    public String summary;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Goal goal = Goal.DEPLOY;

    /** The plan, a JSON document in the CLI's plan schema. */
    @Column(columnDefinition = "text")
    public String plan;

    @Column(columnDefinition = "text")
    public String description;

    /** The engine's stages, as {@link dev.flotilla.controller.rollout.service.StageJson} writes them. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public List<Map<String, Object>> stages = new ArrayList<>();

    /** Why it halted or failed, in the engine's words. */
    @Column(columnDefinition = "text")
    public String reason;

    /** Stages an operator approved through the API. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "approved_stages", nullable = false, columnDefinition = "jsonb")
    public List<String> approvedStages = new ArrayList<>();

    /** Its systems are built and its hosts assigned to stages: the engine's snapshot is complete. */
    @Column(nullable = false)
    public boolean planned;

    @Column(name = "pause_requested", nullable = false)
    public boolean pauseRequested;

    /** For a rollback: {@code previous}, {@code generation:N} or {@code rollout:ID}. */
    @Column(name = "rollback_to", length = 64)
    public String rollbackTo;

    /** Raised by each save of the engine's snapshot (written by {@code PostgresRolloutStore} only). */
    @Column(insertable = false, updatable = false)
    public long saves;
}
