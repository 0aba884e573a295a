package dev.flotilla.agent.service;

import dev.flotilla.agent.ServiceStatus;

import java.util.List;
import java.util.Map;

/**
 * Brings the host's services to a system's declaration: starts new ones, restarts those whose
 * definition changed, stops those no longer declared, leaves the rest alone. Two implementations:
 * {@link BuiltinSupervisor} (no systemd) and {@link SystemdServices}.
 */
public interface ServiceManager extends AutoCloseable {

    /** What {@link #apply} would do; changes nothing. */
    ServiceChanges plan(Map<String, ServiceSpec> desired);

    /**
     * Reconciles; stops in reverse {@code after} order, starts in {@code after} order. Throws
     * {@link dev.flotilla.agent.AgentException} (ACTIVATION) when a service cannot be started.
     */
    ServiceChanges apply(Map<String, ServiceSpec> desired);

    /** Every service the manager runs or knows of. */
    List<ServiceStatus> status();

    /** Stops watching (restart timers); leaves the services running. */
    @Override
    void close();
}
