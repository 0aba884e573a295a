package dev.flotilla.inventory;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The hosts of a fleet, in inventory order. */
public record Inventory(List<Host> hosts) {

    public Inventory {
        hosts = List.copyOf(hosts);
        Map<String, Host> seen = new LinkedHashMap<>();
        for (Host h : hosts) {
            if (seen.put(h.name(), h) != null) {
                throw new IllegalArgumentException("host '" + h.name() + "' is declared twice");
            }
        }
    }

    public Optional<Host> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    public Collection<String> names() {
        return hosts.stream().map(Host::name).toList();
    }
}
