package dev.flotilla.deploy;

import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.agent.client.HostKeyPin;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.copy.CopyResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The simple all-at-once deployment, without plans or persistence: build every host's system centrally
 * (through a {@link SystemSource}), then, with bounded parallelism, copy each closure to its host and
 * switch it. A host whose checks fail is rolled back by its agent; the others carry on.
 *
 * <p>Staged rollouts (plans, failure budgets, gates, resume, fleet-wide rollback) are {@link Rollouts} and
 * {@link dev.flotilla.deploy.rollout.RolloutEngine}; this class stays for callers of its listener API until
 * they move there.
 */
public final class Deployer {

    private final DeploySettings settings;
    private final Evaluator evaluator;
    private final SystemSource source;

    /** Builds from the configuration file given to each {@code deploy} call. */
    public Deployer(DeploySettings settings, Evaluator evaluator) {
        this.settings = settings;
        this.evaluator = evaluator;
        this.source = null;
    }

    /** Builds every host through {@code source}. */
    public Deployer(DeploySettings settings, SystemSource source) {
        this.settings = settings;
        this.evaluator = null;
        this.source = source;
    }

    /** Deploys every host of the inventory. */
    public DeployReport deploy(Inventory inventory, Path configFile, DeployListener listener) throws InterruptedException {
        return deploy(inventory, inventory.hosts(), configFile, listener);
    }

    /** Deploys every host of the inventory, built by this deployer's {@link SystemSource}. */
    public DeployReport deploy(Inventory inventory, DeployListener listener) throws InterruptedException {
        return deploy(inventory, inventory.hosts(), source(null), listener, "");
    }

    /**
     * Deploys {@code targets}; every configuration still sees the whole inventory as {@code hosts}, so a
     * partial deploy builds the same systems as a full one.
     */
    public DeployReport deploy(Inventory inventory, List<Host> targets, Path configFile, DeployListener listener)
            throws InterruptedException {
        return deploy(inventory, targets, source(configFile), listener, configFile.toString());
    }

    private SystemSource source(Path configFile) {
        if (source != null) {
            return source;
        }
        if (configFile == null) {
            throw new IllegalStateException("this deployer builds from a configuration file: pass one to deploy()");
        }
        return new NixFileSource(configFile, evaluator, settings.store(), settings.signer());
    }

    private DeployReport deploy(Inventory inventory, List<Host> targets, SystemSource systems, DeployListener listener, String what)
            throws InterruptedException {
        long start = System.nanoTime();
        Map<String, HostResult> results = new LinkedHashMap<>();
        Map<Host, StorePath> toplevels = new LinkedHashMap<>();
        // Evaluation and build are central and quick; doing them first means a config error stops
        // nothing half-way on the hosts.
        for (Host host : targets) {
            long t0 = System.nanoTime();
            listener.stage(host.name(), Stage.EVALUATE, since(t0), what);
            try {
                toplevels.put(host, systems.build(host, inventory));
            } catch (SystemSource.BuildException e) {
                fail(results, listener, host, e.step() == Step.BUILD ? Stage.BUILD : Stage.EVALUATE, e.getMessage(), t0);
            }
        }
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        Semaphore slots = new Semaphore(settings.parallelism());
        Map<String, Future<HostResult>> running = new LinkedHashMap<>();
        try {
            for (var e : toplevels.entrySet()) {
                running.put(e.getKey().name(), pool.submit(() -> {
                    slots.acquire();
                    try {
                        HostResult r = deployHost(e.getKey(), e.getValue(), listener);
                        listener.finished(r);
                        return r;
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (var e : running.entrySet()) {
                try {
                    results.put(e.getKey(), e.getValue().get());
                } catch (java.util.concurrent.ExecutionException ex) {
                    results.put(e.getKey(), new HostResult.Failed(e.getKey(), Stage.SWITCH,
                            String.valueOf(ex.getCause()), HostResult.Transfer.NONE, Duration.ZERO));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<HostResult> ordered = new ArrayList<>();
        for (Host h : targets) {
            ordered.add(results.get(h.name()));
        }
        return new DeployReport(ordered, since(start));
    }

    private static void fail(Map<String, HostResult> results, DeployListener listener, Host host, Stage stage, String why, long t0) {
        HostResult failed = new HostResult.Failed(host.name(), stage, why, HostResult.Transfer.NONE, since(t0));
        results.put(host.name(), failed);
        listener.finished(failed);
    }

    private HostResult deployHost(Host host, StorePath toplevel, DeployListener listener) {
        long t0 = System.nanoTime();
        Stage stage = Stage.CONNECT;
        HostResult.Transfer transfer = HostResult.Transfer.NONE;
        try {
            HostKeyPin pin = pinFor(host);
            listener.stage(host.name(), stage, since(t0), host.address() + ":" + host.port());
            try (AgentClient agent = AgentClient.connect(host.address(), host.port(), settings.identity(), pin, settings.connectTimeout())) {
                stage = Stage.COPY;
                listener.stage(host.name(), stage, since(t0), toplevel.absolute());
                CopyResult copy = agent.copyClosure(settings.store(), List.of(toplevel), dev.flotilla.store.copy.CopyListener.NONE);
                transfer = new HostResult.Transfer(copy.pathsSent(), copy.narBytesSent());
                stage = Stage.SWITCH;
                listener.stage(host.name(), stage, since(t0), "");
                SwitchResult sw = agent.switchTo(toplevel, settings.mode());
                return toResult(host, toplevel, sw, transfer, since(t0));
            }
        } catch (Exception e) {
            return new HostResult.Failed(host.name(), stage, describe(e), transfer, since(t0));
        }
    }

    private static HostResult toResult(Host host, StorePath toplevel, SwitchResult sw, HostResult.Transfer transfer, Duration elapsed) {
        if (sw.rolledBack()) {
            return new HostResult.RolledBack(host.name(), sw.fromGeneration(), sw.toGeneration(), sw.message(), transfer, elapsed);
        }
        if (!sw.healthy()) {
            return new HostResult.Failed(host.name(), Stage.SWITCH, sw.message(), transfer, elapsed);
        }
        if (!sw.changed()) {
            return new HostResult.Unchanged(host.name(), sw.toGeneration(), toplevel.absolute(), transfer, elapsed);
        }
        return new HostResult.Switched(host.name(), sw.fromGeneration(), sw.toGeneration(), toplevel.absolute(), transfer, elapsed);
    }

    private HostKeyPin pinFor(Host host) throws java.io.IOException {
        if (host.hostKey().isPresent()) {
            return HostKeyPin.ofPublicKeyLine(host.hostKey().get());
        }
        if (settings.knownHosts().isPresent()) {
            return HostKeyPin.fromKnownHosts(settings.knownHosts().get(), host.address(), host.port());
        }
        throw new IllegalStateException("no pinned host key for " + host.name()
                + ": add 'host_key' to its inventory entry or pass --known-hosts FILE (Flotilla never trusts a key on first use)");
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
