package dev.flotilla.controller.host.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A generation a host was seen on after a rollout: switched to, kept, or rolled back to. */
@Entity
@Table(name = "host_generation")
public class HostGeneration {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "host_name", nullable = false, length = 253)
    public String hostName;

    @Column(nullable = false)
    public int generation;

    @Column(columnDefinition = "text")
    public String toplevel;

    @Column(name = "rollout_id")
    public Long rolloutId;

    /** {@code SWITCHED}, {@code UNCHANGED} or {@code ROLLED_BACK}. */
    @Column(nullable = false, length = 16)
    public String outcome;

    @Column(columnDefinition = "text")
    public String detail;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;
}
