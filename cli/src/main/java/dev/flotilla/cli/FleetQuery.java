package dev.flotilla.cli;

import dev.flotilla.agent.AgentStatus;
import dev.flotilla.deploy.rollout.HostAgent;
import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.deploy.rollout.SshAgents;
import dev.flotilla.inventory.Host;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/** Asks many hosts' agents for their status at once, for {@code status --fleet} and {@code generations}. */
final class FleetQuery {

    /** A host's answer, or why it gave none. */
    record Answer(Host host, AgentStatus status, String error) {
        boolean ok() {
            return status != null;
        }
    }

    private FleetQuery() {}

    /** The hosts the options select, or empty after telling {@code err} why the selection is invalid. */
    static java.util.Optional<List<Host>> targets(FleetOptions fleet, ConnectionOptions connection, java.io.PrintStream err) {
        try {
            return java.util.Optional.of(fleet.targets(fleet.loadWith(connection.storeDir)));
        } catch (IllegalArgumentException | dev.flotilla.inventory.InventoryException | dev.flotilla.deploy.fleet.FleetException e) {
            err.println("error: " + e.getMessage());
            return java.util.Optional.empty();
        }
    }

    static List<Answer> ask(SshAgents agents, List<Host> hosts, int parallel) throws InterruptedException {
        Semaphore slots = new Semaphore(parallel);
        Map<Host, Future<Answer>> asked = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Host h : hosts) {
                asked.put(h, pool.submit(() -> {
                    slots.acquire();
                    try (HostAgent a = agents.connect(HostRecord.pending(h.name(), h.address(), h.port(), h.hostKey().orElse(""),
                            "", 0, "", 0, Instant.now()))) {
                        return new Answer(h, a.status(), "");
                    } catch (Exception e) {
                        return new Answer(h, null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<Answer> out = new ArrayList<>();
            for (var e : asked.entrySet()) {
                try {
                    out.add(e.getValue().get());
                } catch (java.util.concurrent.ExecutionException ex) {
                    out.add(new Answer(e.getKey(), null, String.valueOf(ex.getCause())));
                }
            }
            return out;
        }
    }
}
