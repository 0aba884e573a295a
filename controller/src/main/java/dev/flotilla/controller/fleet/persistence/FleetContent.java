package dev.flotilla.controller.fleet.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A fleet folder's files as a deterministic tar.gz, named by the folder's NAR hash; never changed once written. */
@Entity
@Table(name = "fleet_content")
public class FleetContent {

    @Id
    @Column(length = 100)
    public String hash;

    @Column(nullable = false, columnDefinition = "bytea")
    public byte[] archive;

    @Column(nullable = false)
    public long size;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
