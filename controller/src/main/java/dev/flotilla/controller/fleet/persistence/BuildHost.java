package dev.flotilla.controller.fleet.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/** One host of a build: waiting, built (its toplevel) or failed (why, and at which step). */
@Entity
@Table(name = "fleet_build_host")
@IdClass(BuildHost.Key.class)
public class BuildHost {

    public enum State { BUILDING, BUILT, FAILED }

    public record Key(Long buildId, String hostName) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    @Column(name = "build_id")
    public Long buildId;

    @Id
    @Column(name = "host_name", length = 100)
    public String hostName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public State state;

    @Column(columnDefinition = "text")
    public String toplevel;

    @Column(columnDefinition = "text")
    public String error;

    @Column(name = "error_kind", length = 16)
    public String errorKind;

    @Column(name = "took_ms")
    public Long tookMs;
}
