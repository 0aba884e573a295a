package dev.flotilla.deploy;

import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.agent.client.HostKeyPin;
import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.build.ConfigException;
import dev.flotilla.store.build.SystemBuilder;
import dev.flotilla.store.build.SystemConfig;
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
 * Runs one deployment in-process: evaluate and build every host's system centrally, then, with bounded
 * parallelism, copy each closure to its host and switch it. A host whose checks fail is rolled back by
 * its agent; the others carry on.
 */
public final class Deployer {

    private final DeploySettings settings;
    private final Evaluator evaluator;

    public Deployer(DeploySettings settings, Evaluator evaluator) {
        this.settings = settings;
        this.evaluator = evaluator;
    }

    /** Deploys every host of the inventory. */
    public DeployReport deploy(Inventory inventory, Path configFile, DeployListener listener) throws InterruptedException {
        return deploy(inventory, inventory.hosts(), configFile, listener);
    }

    /**
     * Deploys {@code targets}; every configuration still sees the whole inventory as {@code hosts}, so a
     * partial deploy builds the same systems as a full one.
     */
    public DeployReport deploy(Inventory inventory, List<Host> targets, Path configFile, DeployListener listener)
            throws InterruptedException {
        long start = System.nanoTime();
        Map<String, HostResult> results = new LinkedHashMap<>();
        Map<Host, StorePath> toplevels = new LinkedHashMap<>();
        List<Map<String, Object>> allFacts = inventory.hosts().stream().map(Host::facts).toList();
        // Evaluation and build are central and quick; doing them first means a config error stops
        // nothing half-way on the hosts.
        for (Host host : targets) {
            long t0 = System.nanoTime();
            Stage stage = Stage.EVALUATE;
            try {
                listener.stage(host.name(), stage, since(t0), configFile.toString());
                Object value = evaluator.evalFileToJava(configFile, Map.of("host", host.facts(), "hosts", allFacts));
                SystemConfig config = SystemConfig.fromValue(value);
                stage = Stage.BUILD;
                listener.stage(host.name(), stage, since(t0), "");
                StorePath toplevel = new SystemBuilder(settings.store(), settings.signer()).build(host.name(), config).path();
                toplevels.put(host, toplevel);
            } catch (ConfigException e) {
                // Option paths mean nothing without the file they are in.
                fail(results, listener, host, stage, configFile + ": " + e.getMessage(), t0);
            } catch (EvalException e) {
                fail(results, listener, host, stage, e.getMessage(), t0);
            } catch (RuntimeException | java.io.IOException e) {
                fail(results, listener, host, stage, describe(e), t0);
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
