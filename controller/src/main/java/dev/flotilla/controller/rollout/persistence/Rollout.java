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
import java.time.Instant;

/**
 * One deployment of a fleet configuration to a set of hosts. {@code owner}, {@code leaseUntil} and
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
    @Column(nullable = false, length = 16)
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
}
