package dev.flotilla.controller.fleet.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One build of a revision's selected hosts, run by the replica named {@code owner}. */
@Entity
@Table(name = "fleet_build")
public class BuildRun {

    /** RUNNING until every host is done; FAILED when any host failed or the build could not start. */
    public enum State { RUNNING, SUCCEEDED, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "revision_id", nullable = false)
    public long revisionId;

    @Column(columnDefinition = "text")
    public String selector;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public State state;

    @Column(length = 200)
    public String owner;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", length = 100)
    public String createdBy;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(columnDefinition = "text")
    public String error;

    @Column(nullable = false, columnDefinition = "text")
    public String log = "";
}
