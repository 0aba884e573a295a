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
 * @param pending        a switch waiting for its confirmation, if any
 * @param journal        the latest journal entries (switches, confirmations, rollbacks and why), oldest first
 * @param drift          managed /etc entries changed by hand since activation
 * @param services       the declared services of the active system and their state
 */
public record AgentStatus(String agentVersion, Optional<String> host, int defaultGeneration,
                          Optional<String> activeSystem, List<GenerationInfo> generations,
                          Optional<PendingInfo> pending, List<JournalEntry> journal, List<DriftEntry> drift,
                          List<ServiceStatus> services) {
    public AgentStatus {
        generations = List.copyOf(generations);
        journal = List.copyOf(journal);
        drift = List.copyOf(drift);
        services = List.copyOf(services);
    }

    public AgentStatus(String agentVersion, Optional<String> host, int defaultGeneration,
                       Optional<String> activeSystem, List<GenerationInfo> generations) {
        this(agentVersion, host, defaultGeneration, activeSystem, generations, Optional.empty(), List.of(), List.of(), List.of());
    }

    /** The latest rollback in the journal, if any. */
    public Optional<JournalEntry> lastRollback() {
        return journal.reversed().stream().filter(e -> e.event().equals("rollback")).findFirst();
    }
}
