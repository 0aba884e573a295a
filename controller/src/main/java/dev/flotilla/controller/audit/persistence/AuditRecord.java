package dev.flotilla.controller.audit.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One mutating API call: who, what, when, and how it ended. Never updated. */
@Entity
@Table(name = "audit_record")
public class AuditRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public Instant at;

    @Column(nullable = false, length = 100)
    public String actor;

    @Column(nullable = false, length = 100)
    public String action;

    @Column(nullable = false, length = 10)
    public String method;

    @Column(nullable = false, length = 500)
    public String path;

    @Column(nullable = false)
    public int status;

    @Column(nullable = false, length = 16)
    public String outcome;

    @Column(columnDefinition = "text")
    public String detail;
}
