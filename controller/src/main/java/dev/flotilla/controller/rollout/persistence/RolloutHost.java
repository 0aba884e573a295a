package dev.flotilla.controller.rollout.persistence;

import dev.flotilla.deploy.rollout.HostState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One host in one rollout: the engine's {@code HostRecord} (state, origin, target, failure) and the
 * host as it was when the rollout was created. {@code reason} holds the record's failure.
 */
@Entity
@Table(name = "rollout_host")
public class RolloutHost {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "rollout_id", nullable = false)
    public long rolloutId;

    /** Inventory order. */
    @Column(nullable = false)
    public int position;

    @Column(name = "host_name", nullable = false, length = 253)
    public String hostName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public HostState state;

    /** The host's definition at creation, so that a resumed rollout deploys to the same hosts. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> host;

    @Column(name = "from_generation")
    public Integer fromGeneration;

    @Column(name = "to_generation")
    public Integer toGeneration;

    @Column(columnDefinition = "text")
    public String toplevel;

    @Column(columnDefinition = "text")
    public String reason;

    @Column(name = "paths_sent", nullable = false)
    public int pathsSent;

    @Column(name = "bytes_sent", nullable = false)
    public long bytesSent;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The plan stage that takes this host, and its batch there. */
    @Column(nullable = false, length = 100)
    public String stage = "";

    @Column(nullable = false)
    public int batch;

    /** A rollback's generation to return to; 0: the one before the current. */
    @Column(name = "target_generation", nullable = false)
    public int targetGeneration;

    @Column(name = "from_system", columnDefinition = "text")
    public String fromSystem;

    @Column(nullable = false)
    public boolean changed;

    @Column(nullable = false)
    public boolean failed;

    @Column(name = "failed_step", length = 16)
    public String failedStep;

    @Column(columnDefinition = "text")
    public String detail;
}
