package dev.flotilla.agent.service;

import java.util.ArrayList;
import java.util.List;

/**
 * What a service reconciliation did (or would do).
 *
 * @param started   services started (new, or found not running)
 * @param restarted services whose definition changed
 * @param stopped   services the new system no longer has
 * @param unchanged services left alone
 */
public record ServiceChanges(List<String> started, List<String> restarted, List<String> stopped, List<String> unchanged) {
    public static final ServiceChanges NONE = new ServiceChanges(List.of(), List.of(), List.of(), List.of());

    public ServiceChanges {
        started = List.copyOf(started);
        restarted = List.copyOf(restarted);
        stopped = List.copyOf(stopped);
        unchanged = List.copyOf(unchanged);
    }

    public boolean isEmpty() {
        return started.isEmpty() && restarted.isEmpty() && stopped.isEmpty();
    }

    /** e.g. {@code services: +db ~web -old}. */
    public String summary() {
        if (isEmpty()) {
            return "services: no changes";
        }
        List<String> parts = new ArrayList<>();
        started.forEach(n -> parts.add("+" + n));
        restarted.forEach(n -> parts.add("~" + n));
        stopped.forEach(n -> parts.add("-" + n));
        return "services: " + String.join(" ", parts);
    }
}
