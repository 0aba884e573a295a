package dev.flotilla.agent;

import dev.flotilla.agent.protocol.AgentProtocol;
import dev.flotilla.agent.protocol.AgentProtocolServer;
import dev.flotilla.agent.protocol.StreamService;
import dev.flotilla.agent.server.StreamSubsystemFactory;
import dev.flotilla.agent.service.BuiltinSupervisor;
import dev.flotilla.agent.service.ServiceManager;
import dev.flotilla.agent.service.SystemdServices;
import dev.flotilla.agent.system.EtcActivator;
import dev.flotilla.agent.system.LocalSystemStore;
import dev.flotilla.agent.system.SystemActivator;
import dev.flotilla.agent.system.SystemSwitcher;
import dev.flotilla.store.ErrorCode;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.TrustedKeys;
import dev.flotilla.store.copy.StoreProtocolServer;
import org.apache.sshd.server.subsystem.SubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * One host's agent, transport aside: its store under the physical root, its switcher, and the two
 * protocols ({@value #STORE_SUBSYSTEM} and {@value AgentProtocol#SUBSYSTEM}) ready to serve over
 * SSH subsystems or stdio.
 */
public final class Agent implements AutoCloseable {
    /** The store-copy subsystem's name. */
    public static final String STORE_SUBSYSTEM = "flotilla-store";
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final LocalStore store;
    private final TrustedKeys trusted;
    private final SystemSwitcher switcher;

    private Agent(LocalStore store, TrustedKeys trusted, SystemSwitcher switcher) {
        this.store = store;
        this.trusted = trusted;
        this.switcher = switcher;
    }

    /** Opens (creating if needed) the store under {@code root}; paths must be signed by one of {@code trusted}. */
    public static Agent open(Path root, StoreDir storeDir, TrustedKeys trusted) throws IOException {
        return open(root, storeDir, trusted, "auto");
    }

    /**
     * As {@link #open(Path, StoreDir, TrustedKeys)}, choosing the service supervisor: {@code builtin},
     * {@code systemd}, or {@code auto} (systemd when the host runs it and {@code root} is /).
     */
    public static Agent open(Path root, StoreDir storeDir, TrustedKeys trusted, String services) throws IOException {
        return open(root, storeDir, trusted, services, Optional.empty());
    }

    /**
     * As {@link #open(Path, StoreDir, TrustedKeys, String)}; {@code confirmScheduler}, when given, fires this agent's
     * magic-rollback deadlines instead of a timer thread of its own (many agents in one process share one).
     */
    public static Agent open(Path root, StoreDir storeDir, TrustedKeys trusted, String services,
                             Optional<ScheduledExecutorService> confirmScheduler) throws IOException {
        LocalStore store = new LocalStore(root, storeDir);
        Function<Path, ServiceManager> factory = switch (services) {
            case "auto" -> SystemActivator::defaultServices;
            case "builtin" -> BuiltinSupervisor::new;
            case "systemd" -> r -> new SystemdServices(r, SystemdServices::exec);
            default -> throw new IllegalArgumentException("services must be auto, builtin or systemd, got '" + services + "'");
        };
        SystemActivator activator = new SystemActivator(root, new EtcActivator(root), factory);
        return new Agent(store, trusted, SystemSwitcher.forRoot(root, new LocalSystemStore(store), activator, confirmScheduler));
    }

    /**
     * What an agent does before it listens: rolls back a switch that its previous run left unconfirmed, then
     * activates the default generation (after a reboot nothing of it runs). A failing activation is logged, not
     * thrown: the agent must still listen so that a deployment can repair the host.
     */
    public void recoverAndActivate() {
        try {
            switcher.recover().ifPresent(e -> LOG.warn("rolled back an unconfirmed switch to {}: {}", e.toplevel(), e.reason()));
            switcher.activateDefault();
        } catch (AgentException e) {
            LOG.error("could not activate the default generation: {}", e.getMessage());
        }
    }

    /** Stops the agent's timers (services keep running; a pending switch is rolled back at the next start). */
    @Override
    public void close() {
        switcher.close();
    }

    public LocalStore store() {
        return store;
    }

    public SystemSwitcher switcher() {
        return switcher;
    }

    /** Receives closures (store-copy protocol); logs refusals. */
    public StreamService storeService() {
        return (in, out) -> new StoreProtocolServer(store, trusted, new StoreProtocolServer.Listener() {
            @Override
            public void pathImported(PathInfo info) {
                LOG.debug("imported {}", info.path());
            }

            @Override
            public void pathRefused(String path, ErrorCode code, String reason) {
                LOG.warn("refused store path {}: {} {}", path, code, reason);
            }
        }).serve(in, out);
    }

    /** Status, switch, rollback, generations ({@link AgentProtocol}). */
    public StreamService agentService() {
        return new AgentProtocolServer(switcher);
    }

    /** Both protocols as SSH subsystems. */
    public List<SubsystemFactory> subsystems() {
        return subsystems("");
    }

    /** As {@link #subsystems()}; {@code label} (a host name) prefixes the names of the threads serving channels. */
    public List<SubsystemFactory> subsystems(String label) {
        return List.of(new StreamSubsystemFactory(STORE_SUBSYSTEM, storeService(), label),
                new StreamSubsystemFactory(AgentProtocol.SUBSYSTEM, agentService(), label));
    }
}
