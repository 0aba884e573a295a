package dev.flotilla.deploy.rollout;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentStatus;
import dev.flotilla.agent.GenerationInfo;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.inventory.InventoryLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Agents in memory that behave like the real one: generations, switch with checks and self-rollback, rollback. */
final class FakeFleet implements HostAgent.Connector {

    final class FakeHost {
        final String name;
        final List<String> generations = new ArrayList<>();
        final Set<String> store = new HashSet<>();
        int current;
        String active = "";
        int switches;
        int rollbacks;
        boolean unreachable;
        boolean copyFails;
        /** Toplevels whose checks fail on this host (at switch time). */
        final Set<String> broken = new HashSet<>();
        /** Fails its checks when checked again (for health gates). */
        boolean sickLater;

        FakeHost(String name) {
            this.name = name;
        }

        synchronized AgentStatus status() {
            List<GenerationInfo> gens = new ArrayList<>();
            for (int i = 0; i < generations.size(); i++) {
                gens.add(new GenerationInfo(i + 1, generations.get(i), Instant.now(), i + 1 == current));
            }
            return new AgentStatus("fake", Optional.of(name), current, active.isEmpty() ? Optional.empty() : Optional.of(active), gens);
        }

        synchronized SwitchResult switchTo(String toplevel) {
            if (!store.contains(toplevel)) {
                throw new AgentException(AgentException.Kind.NOT_IN_STORE, toplevel + " is not in the store");
            }
            switches++;
            int from = current;
            if (current > 0 && generations.get(current - 1).equals(toplevel) && active.equals(toplevel)) {
                return new SwitchResult(from, from, false, true, false, List.of(), "unchanged");
            }
            int to = generations.isEmpty() || !generations.getLast().equals(toplevel) ? add(toplevel) : generations.size();
            if (broken.contains(toplevel)) {
                return new SwitchResult(from, to, false, false, true, List.of(), "health check 'app' failed: broken; rolled back to generation " + from);
            }
            current = to;
            active = toplevel;
            return new SwitchResult(from, to, true, true, false, List.of(), "switched to generation " + to);
        }

        private int add(String toplevel) {
            generations.add(toplevel);
            return generations.size();
        }

        synchronized SwitchResult rollback(OptionalInt generation) {
            rollbacks++;
            int from = current;
            int to = generation.orElse(current - 1);
            if (to < 1 || to > generations.size()) {
                throw new AgentException(AgentException.Kind.PROFILE, "no generation " + to);
            }
            current = to;
            active = generations.get(to - 1);
            return new SwitchResult(from, to, true, true, true, List.of(), "rolled back from generation " + from + " to " + to);
        }
    }

    final Map<String, FakeHost> hosts = new LinkedHashMap<>();
    final Inventory inventory;
    final AtomicInteger switchingNow = new AtomicInteger();
    final AtomicInteger maxSwitchingAtOnce = new AtomicInteger();
    volatile Duration switchTime = Duration.ZERO;

    FakeFleet(int n, String... canaries) {
        StringBuilder y = new StringBuilder("all:\n  hosts:\n");
        for (int i = 1; i <= n; i++) {
            String name = "web-" + i;
            hosts.put(name, new FakeHost(name));
            y.append("    ").append(name).append(": { port: ").append(2000 + i)
                    .append(Set.of(canaries).contains(name) ? ", tags: [canary]" : "").append(" }\n");
        }
        inventory = InventoryLoader.parse(Path.of("inv.yaml"), y.toString());
    }

    List<Host> targets() {
        return inventory.hosts();
    }

    FakeHost host(String name) {
        return hosts.get(name);
    }

    static String system(String version, String host) {
        return "/flotilla/store/" + "0".repeat(32) + "-" + version + "-" + host;
    }

    Map<String, String> systems(String version) {
        Map<String, String> out = new LinkedHashMap<>();
        hosts.keySet().forEach(h -> out.put(h, system(version, h)));
        return out;
    }

    /** Puts every host on {@code version} (generation +1) without a rollout. */
    void preinstall(String version) {
        for (FakeHost h : hosts.values()) {
            String t = system(version, h.name);
            h.store.add(t);
            h.generations.add(t);
            h.current = h.generations.size();
            h.active = t;
        }
    }

    int totalSwitches() {
        return hosts.values().stream().mapToInt(h -> h.switches).sum();
    }

    @Override
    public HostAgent connect(HostRecord record) throws IOException {
        FakeHost h = hosts.get(record.name());
        if (h.unreachable) {
            throw new IOException("cannot connect to agent at 127.0.0.1:" + record.port() + ": Connection refused");
        }
        return new HostAgent() {
            @Override
            public AgentStatus status() {
                return h.status();
            }

            @Override
            public Transfer copy(String toplevel) throws IOException {
                if (h.copyFails) {
                    throw new IOException("the host refused " + toplevel + ": signature not trusted");
                }
                synchronized (h) {
                    return h.store.add(toplevel) ? new Transfer(1, 1000) : new Transfer(0, 0);
                }
            }

            @Override
            public SwitchResult switchTo(String toplevel, String rolloutId) {
                int now = switchingNow.incrementAndGet();
                maxSwitchingAtOnce.accumulateAndGet(now, Math::max);
                try {
                    if (!switchTime.isZero()) {
                        Thread.sleep(switchTime);
                    }
                    return h.switchTo(toplevel);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return h.switchTo(toplevel);
                } finally {
                    switchingNow.decrementAndGet();
                }
            }

            @Override
            public SwitchResult rollback(OptionalInt generation) {
                return h.rollback(generation);
            }

            @Override
            public List<String> recheck(String toplevel) {
                return h.sickLater ? List.of("check 'app' fails: sick") : List.of();
            }

            @Override
            public void close() {}
        };
    }
}
