package dev.flotilla.inventory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One machine of the fleet, as the inventory declares it.
 *
 * @param name    inventory name, unique in the fleet
 * @param address where to reach its agent (host name or IP)
 * @param port    the agent's SSH port
 * @param user    SSH user, informational for the agent (it authenticates by key only)
 * @param hostKey the pinned SSH host key as an OpenSSH public key line, if the inventory has one
 * @param tags    free-form labels used by selectors ({@code @canary})
 * @param groups  every group the host belongs to, {@code all} included
 * @param vars    merged variables: {@code all} &lt; parent groups &lt; child groups &lt; host
 */
public record Host(
        String name,
        String address,
        int port,
        String user,
        Optional<String> hostKey,
        Set<String> tags,
        Set<String> groups,
        Map<String, Object> vars) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    public static final int DEFAULT_PORT = 22;

    public Host {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid host name '" + name
                    + "': use letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("host '" + name + "' has no address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("host '" + name + "' has port " + port + ", outside 1..65535");
        }
        // Sorted copies so that every consumer (and every hash of the facts) sees one order.
        tags = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(tags));
        groups = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(groups));
        vars = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(vars));
    }

    public boolean hasTag(String tag) {
        return tags.contains(tag);
    }

    /** The facts a fleet configuration sees as {@code host}: plain values only. */
    public Map<String, Object> facts() {
        Map<String, Object> facts = new TreeMap<>();
        facts.put("name", name);
        facts.put("address", address);
        facts.put("port", (long) port);
        facts.put("user", user);
        facts.put("tags", List.copyOf(tags));
        facts.put("groups", List.copyOf(groups));
        facts.put("vars", vars);
        return facts;
    }
}
