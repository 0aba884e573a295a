package dev.flotilla.controller.rollout.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Something that happened in a rollout, numbered 1, 2, 3... in the order it was recorded. */
@Entity
@Table(name = "rollout_event")
public class RolloutEvent {

    /** {@code ROLLOUT}: its state changed; {@code HOST}: a host's; {@code STAGE}: a stage began, waits or ended; {@code NOTE}: anything else. */
    public enum Kind { ROLLOUT, HOST, STAGE, NOTE }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "rollout_id", nullable = false)
    public long rolloutId;

    @Column(nullable = false)
    public long seq;

    @Column(nullable = false)
    public Instant at;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    @Column(nullable = false, length = 32)
    public Kind kind;

    @Column(name = "host_name", length = 253)
    public String hostName;

    /** The rollout's or the host's state after this event. */
    @Column(length = 32)
    public String state;

    @Column(columnDefinition = "text")
    public String detail;
}
