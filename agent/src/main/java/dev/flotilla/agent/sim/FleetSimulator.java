package dev.flotilla.agent.sim;

import dev.flotilla.agent.Agent;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.agent.server.AgentServer;
import dev.flotilla.agent.server.SharedServerThreads;
import dev.flotilla.agent.state.AtomicFiles;
import dev.flotilla.store.PublicKey;
import dev.flotilla.store.TrustedKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many independent agents in one process, for tests and benchmarks: each has its own physical root (its store,
 * profiles, /etc, pending switch, journal, host lock), its own SSH host key and port, its own switcher and
 * confirmation deadlines, exactly as a separate {@code flotilla-agent run} would. They share only what holds no
 * host's state: the NIO worker threads and timers ({@link SharedServerThreads}), the read-only authorized keys and
 * trusted store keys.
 *
 * <pre>
 * try (FleetSimulator fleet = FleetSimulator.start(config)) {
 *     fleet.writeInventory(dir.resolve("inventory.yaml"));   // for `flotilla deploy --fleet dir`
 *     ...
 * }
 * </pre>
 */
public final class FleetSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetSimulator.class);
    /** Hosts started at once: the start is mostly key generation and file system work. */
    private static final int STARTING_AT_ONCE = 4;

    private record Instance(SimulatedHost host, Agent agent, AgentServer server) {
        void stop() {
            try {
                server.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: stopping its server: {}", host.name(), e.getMessage());
            }
            agent.close();
        }
    }

    private final SharedServerThreads threads;
    private final Map<String, Instance> instances = new LinkedHashMap<>();

    private FleetSimulator(SharedServerThreads threads) {
        this.threads = threads;
    }

    /** Starts every host of {@code config} and returns once all of them listen; if one cannot start, none runs. */
    public static FleetSimulator start(SimulatorConfig config) throws IOException {
        if (!Files.isReadable(config.authorizedKeys())) {
            throw new IOException("authorized keys file " + config.authorizedKeys() + " is missing or unreadable");
        }
        List<PublicKey> keys = new ArrayList<>();
        for (Path file : config.trustedKeys()) {
            keys.addAll(TrustedKeys.read(file).keys());
        }
        TrustedKeys trusted = new TrustedKeys(keys);
        Files.createDirectories(config.dir());
        FleetSimulator fleet = new FleetSimulator(SharedServerThreads.create(config.ioWorkers()));
        List<Future<Instance>> starting = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(STARTING_AT_ONCE, config.hosts()),
                r -> Thread.ofPlatform().daemon().name("flotilla-sim-start").unstarted(r));
        try {
            for (int n = 1; n <= config.hosts(); n++) {
                int number = n;
                starting.add(pool.submit(() -> fleet.startOne(config, number, trusted)));
            }
            IOException failure = null;
            for (int n = 0; n < starting.size(); n++) {
                try {
                    Instance i = starting.get(n).get();
                    fleet.instances.put(i.host().name(), i);
                } catch (ExecutionException e) {
                    if (failure == null) {
                        Throwable cause = e.getCause();
                        failure = new IOException("simulated host " + config.name(n + 1) + " could not start: "
                                + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
                    }
                }
            }
            if (failure != null) {
                fleet.close();
                throw failure;
            }
            return fleet;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
            fleet.close();
            throw new IOException("interrupted while starting the simulated hosts", e);
        } finally {
            pool.shutdown();
        }
    }

    private Instance startOne(SimulatorConfig config, int n, TrustedKeys trusted) throws IOException {
        String name = config.name(n);
        Path home = config.dir().resolve(name);
        Path root = Files.createDirectories(home.resolve("root"));
        String comment = "flotilla-agent@" + name;
        // kept across runs, like a real host's key: an inventory written by an earlier run stays valid
        KeyPair key = SshKeys.loadOrGenerate(home.resolve("ssh_host_ed25519_key"), comment);
        Agent agent = Agent.open(root, config.storeDir(), trusted, config.services(), Optional.of(threads.confirmScheduler()));
        try {
            agent.recoverAndActivate();
            AgentServer server = AgentServer.start(config.listenHost(), config.port(n), key, config.authorizedKeys(),
                    agent.subsystems(name), Optional.of(threads));
            String address = isWildcard(config.listenHost()) ? "127.0.0.1" : config.listenHost();
            return new Instance(new SimulatedHost(name, root, address, server.port(), SshKeys.publicKeyLine(key.getPublic(), comment)),
                    agent, server);
        } catch (IOException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /** Every host, in name order. */
    public synchronized List<SimulatedHost> hosts() {
        return instances.values().stream().map(Instance::host).toList();
    }

    public synchronized SimulatedHost host(String name) {
        return instance(name).host();
    }

    /** The agent behind {@code name}, for tests that look inside a host. */
    public synchronized Agent agent(String name) {
        return instance(name).agent();
    }

    private Instance instance(String name) {
        Instance i = instances.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no simulated host named '" + name + "'");
        }
        return i;
    }

    /**
     * Stops one host as if it went down: its server stops listening and its timers stop (an unconfirmed switch is
     * rolled back when an agent starts on its root again). The other hosts are not affected.
     */
    public synchronized void stop(String name) {
        instance(name).stop();
        instances.remove(name);
    }

    /**
     * Writes an inventory of the running hosts (the inventory module's YAML: address, port and the pinned host key
     * per host, all in group {@code all}), atomically, so a reader never sees half of it.
     */
    public synchronized Path writeInventory(Path file) throws IOException {
        StringBuilder y = new StringBuilder("# written by flotilla-agent simulate: ").append(instances.size())
                .append(" simulated hosts\nall:\n  hosts:\n");
        for (Instance i : instances.values()) {
            SimulatedHost h = i.host();
            y.append("    ").append(h.name()).append(":\n")
                    .append("      address: ").append(h.address()).append('\n')
                    .append("      port: ").append(h.port()).append('\n')
                    .append("      host_key: \"").append(h.hostKeyLine()).append("\"\n");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.write(file, y.toString().getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /** Stops every host, then the shared threads. Services started by the hosts keep running, as on real hosts. */
    @Override
    public synchronized void close() {
        instances.values().forEach(Instance::stop);
        instances.clear();
        threads.close();
    }
}
