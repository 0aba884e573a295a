package dev.flotilla.agent;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A declared service as the agent's supervisor sees it.
 *
 * @param name  the service's name in the manifest
 * @param state {@code running}, {@code stopped}, {@code failed}, {@code restarting} or {@code unknown}
 * @param pid   its main process, when the built-in supervisor runs it
 * @param hash  the digest of the definition it runs with (a change means a restart)
 */
public record ServiceStatus(String name, String state, OptionalLong pid, String hash) {
    public ServiceStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(pid, "pid");
        hash = hash == null ? "" : hash;
    }
}
