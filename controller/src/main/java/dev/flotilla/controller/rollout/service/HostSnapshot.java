package dev.flotilla.controller.rollout.service;

import dev.flotilla.controller.host.service.HostService;
import dev.flotilla.inventory.Host;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A host as a rollout keeps it (JSON), so that a resumed rollout deploys to exactly the same hosts. */
final class HostSnapshot {

    private HostSnapshot() {}

    static Map<String, Object> of(Host h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", h.name());
        m.put("address", h.address());
        m.put("port", h.port());
        m.put("user", h.user());
        m.put("hostKey", h.hostKey().orElse(null));
        m.put("tags", List.copyOf(h.tags()));
        m.put("groups", List.copyOf(h.groups()));
        m.put("vars", h.vars());
        return m;
    }

    @SuppressWarnings("unchecked")
    static Host toHost(Map<String, Object> m) {
        return new Host((String) m.get("name"), (String) m.get("address"), ((Number) m.get("port")).intValue(),
                (String) m.get("user"), Optional.ofNullable((String) m.get("hostKey")),
                new LinkedHashSet<>((List<String>) m.getOrDefault("tags", List.of())),
                new LinkedHashSet<>((List<String>) m.getOrDefault("groups", List.of("all"))),
                HostService.plainValues((Map<String, Object>) m.getOrDefault("vars", Map.of())));
    }
}
