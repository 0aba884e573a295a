package dev.flotilla.controller.host.service;

import dev.flotilla.controller.host.persistence.HostEntity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A host as the API shows it. */
public record HostView(String name, String address, int port, String user, String hostKey, List<String> tags,
                       List<String> groups, Map<String, Object> vars, Instant createdAt, Instant updatedAt) {

    public static HostView of(HostEntity h) {
        return new HostView(h.name, h.address, h.port, h.user, h.hostKey, List.copyOf(h.tags), List.copyOf(h.groups),
                h.vars, h.createdAt, h.updatedAt);
    }
}
