package dev.flotilla.controller.host.service;

import dev.flotilla.agent.AgentStatus;
import dev.flotilla.agent.DriftEntry;
import dev.flotilla.agent.GenerationInfo;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.config.ControllerConfig;
import dev.flotilla.controller.engine.Engine;
import dev.flotilla.deploy.rollout.HostAgent;
import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.inventory.Host;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Asks hosts' agents, over the engine's SSH connections, what they run now: their generations and any
 * drift, from what the controller last left them on or from the files it manages. Read-only: nothing is
 * copied or switched.
 */
@ApplicationScoped
public class HostInspector {

    /** A generation as the agent lists it. */
    public record LiveGeneration(int number, String toplevel, Instant created, boolean current, long closureSize, String rollout) {
        static LiveGeneration of(GenerationInfo g) {
            return new LiveGeneration(g.number(), g.storePath(), g.created(), g.isDefault(), g.closureSize(), g.deploymentId().orElse(null));
        }
    }

    /** What the agent says now: the current generation, the active system, every generation (oldest first), a switch awaiting confirmation. */
    public record LiveView(String host, int currentGeneration, String activeSystem, List<LiveGeneration> generations, String pendingToplevel) {}

    /** A managed file changed by hand since activation. */
    public record FileDrift(String name, String kind, String detail) {
        static FileDrift of(DriftEntry e) {
            return new FileDrift(e.name(), e.kind().name(), e.detail());
        }
    }

    /**
     * A host's drift: {@code systemDrift} when it runs another system than the one the controller last
     * recorded for it; {@code files} changed by hand; {@code error} (and {@code reachable} false) when its agent
     * could not be asked.
     */
    public record DriftView(String host, boolean reachable, boolean drifted, boolean systemDrift, Integer expectedGeneration,
                            String expectedToplevel, Integer currentGeneration, String activeSystem, List<FileDrift> files, String error) {}

    /** Drift of several hosts, with how many drifted and how many could not be asked. */
    public record DriftReport(List<DriftView> items, int drifted, int unreachable) {}

    private final Engine engine;
    private final HostService hosts;
    private final ControllerConfig config;

    public HostInspector(Engine engine, HostService hosts, ControllerConfig config) {
        this.engine = engine;
        this.hosts = hosts;
        this.config = config;
    }

    /** The host's generations as its agent lists them; 502 when the agent cannot be reached. */
    public Optional<LiveView> live(String name) {
        return hosts.host(name).map(h -> {
            AgentStatus s = ask(h);
            return new LiveView(h.name(), s.defaultGeneration(), s.activeSystem().orElse(null),
                    s.generations().stream().map(LiveGeneration::of).toList(), s.pending().map(p -> p.toplevel()).orElse(null));
        });
    }

    /** One host's drift; an unreachable agent is a 502. */
    public Optional<DriftView> drift(String name) {
        return hosts.host(name).map(h -> drift(h, ask(h)));
    }

    /** The drift of every selected host, asked in parallel (the rollouts' default parallelism); unreachable hosts are items with an error. */
    public DriftReport drift(List<Host> selected) {
        Semaphore room = new Semaphore(Math.max(1, config.rollouts().defaultParallelism()));
        List<DriftView> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<DriftView>> futures = new ArrayList<>();
            for (Host h : selected) {
                futures.add(pool.submit(() -> {
                    room.acquire();
                    try {
                        return drift(h, ask(h));
                    } catch (ApiException e) {
                        return new DriftView(h.name(), false, false, false, null, null, null, null, List.of(), e.getMessage());
                    } finally {
                        room.release();
                    }
                }));
            }
            for (Future<DriftView> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking agents for drift", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("asking agents for drift failed: " + e.getCause(), e.getCause());
        }
        int drifted = (int) out.stream().filter(DriftView::drifted).count();
        int unreachable = (int) out.stream().filter(d -> !d.reachable()).count();
        return new DriftReport(out, drifted, unreachable);
    }

    private DriftView drift(Host h, AgentStatus s) {
        Optional<HostService.GenerationView> expected = hosts.lastGeneration(h.name());
        String expectedTop = expected.map(HostService.GenerationView::toplevel).orElse(null);
        String active = s.activeSystem().orElse(null);
        boolean systemDrift = expectedTop != null && !expectedTop.equals(active);
        List<FileDrift> files = s.drift().stream().map(FileDrift::of).toList();
        return new DriftView(h.name(), true, systemDrift || !files.isEmpty(), systemDrift, expected.map(HostService.GenerationView::generation).orElse(null),
                expectedTop, s.defaultGeneration(), active, files, null);
    }

    /**
     * The agent's status, over a connection kept for {@link #IDLE} after its last use: a dashboard polling
     * {@code /live} costs one SSH handshake per host, not one per request. A kept connection that fails is
     * dropped and the question asked once more over a new one (the agent may have restarted).
     */
    private AgentStatus ask(Host h) {
        Target target = new Target(h.name(), h.address(), h.port(), h.hostKey().orElse(""));
        Kept kept = connections.remove(target);
        if (kept != null) {
            try {
                AgentStatus s = kept.agent().status();
                keep(target, kept.agent());
                return s;
            } catch (IOException | RuntimeException e) {
                closeQuietly(kept.agent());
            }
        }
        HostAgent agent = null;
        try {
            agent = engine.agents(engine.settings(1, SwitchMode.SWITCH)).connect(
                    HostRecord.pending(h.name(), h.address(), h.port(), target.hostKey(), "", 0, "", 0, Instant.now()));
            AgentStatus s = agent.status();
            keep(target, agent);
            return s;
        } catch (IOException | RuntimeException e) {
            closeQuietly(agent);
            throw new ApiException(502, "unreachable", "cannot ask the agent of " + h.name() + ": " + e.getMessage(), null, e);
        }
    }

    /** How long an unused connection to an agent stays open. */
    static final Duration IDLE = Duration.ofSeconds(60);

    /** A host as reached: a changed address, port or pinned key is another connection. */
    private record Target(String name, String address, int port, String hostKey) {}

    private record Kept(HostAgent agent, long lastUsedNanos) {}

    private final Map<Target, Kept> connections = new ConcurrentHashMap<>();

    /** At most this many kept connections: a fleet-wide drift report asks every host once, and need not hold them all. */
    static final int MAX_KEPT = 64;

    private void keep(Target target, HostAgent agent) {
        if (connections.size() >= MAX_KEPT && !connections.containsKey(target)) {
            closeQuietly(agent);
            return;
        }
        Kept previous = connections.put(target, new Kept(agent, System.nanoTime()));
        if (previous != null && previous.agent() != agent) {
            closeQuietly(previous.agent());   // two requests raced: keep one connection
        }
    }

    /** Closes connections unused for {@link #IDLE}; runs every 30 s. */
    @Scheduled(every = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void closeIdle() {
        long now = System.nanoTime();
        connections.forEach((target, kept) -> {
            if (now - kept.lastUsedNanos() > IDLE.toNanos() && connections.remove(target, kept)) {
                closeQuietly(kept.agent());
            }
        });
    }

    /** Names of the hosts whose agent connection is kept open now. */
    public java.util.Set<String> keptConnections() {
        return connections.keySet().stream().map(Target::name).collect(java.util.stream.Collectors.toSet());
    }

    /** Closes every kept connection (at shutdown). */
    @PreDestroy
    public void closeAll() {
        connections.values().forEach(k -> closeQuietly(k.agent()));
        connections.clear();
    }

    private static void closeQuietly(HostAgent agent) {
        if (agent == null) {
            return;
        }
        try {
            agent.close();
        } catch (IOException | RuntimeException e) {
            // Closing a connection that already failed: nothing to tell anyone.
        }
    }
}
