package dev.flotilla.agent.sim;

import java.nio.file.Path;

/**
 * One agent instance of a simulated fleet, as a deploying side sees it.
 *
 * @param root        its physical root (stands in for {@code /}: store, profiles, /etc, state)
 * @param hostKeyLine its OpenSSH public host key line, to pin in the inventory
 */
public record SimulatedHost(String name, Path root, String address, int port, String hostKeyLine) {
    public SimulatedHost {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a simulated host needs a name");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of " + name + " must be 1-65535, got " + port);
        }
    }
}
