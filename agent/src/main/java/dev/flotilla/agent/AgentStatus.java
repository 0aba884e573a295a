package dev.flotilla.agent;

import java.util.List;
import java.util.Optional;

/**
 * The agent's view of its host.
 *
 * @param agentVersion   protocol/agent version string
 * @param host           the host name from the active system's manifest, if any
 * @param defaultGeneration the profile's current generation (0 = none)
 * @param activeSystem   the toplevel activated now (absolute logical store path), if any
 * @param generations    every generation, oldest first
 */
public record AgentStatus(String agentVersion, Optional<String> host, int defaultGeneration,
                          Optional<String> activeSystem, List<GenerationInfo> generations) {
    public AgentStatus {
        generations = List.copyOf(generations);
    }
}
