package dev.flotilla.controller.fleet.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A fleet's content pinned at one moment: later edits of the folder do not change it. */
@Entity
@Table(name = "fleet_revision")
public class FleetRevision {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "fleet_id", nullable = false)
    public long fleetId;

    @Column(nullable = false, length = 100)
    public String hash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", length = 100)
    public String createdBy;
}
