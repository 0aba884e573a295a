package dev.flotilla.eval.modules;

import dev.flotilla.eval.Boundary;
import dev.flotilla.eval.Bytes;
import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.EvalSession;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.eval.Force;
import dev.flotilla.eval.JavaValues;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Evaluates the hosts of one fleet folder ({@code fleet.nix}, see the resource {@code fleet.nix}
 * beside this class for its shape) with the module system.
 *
 * <p>Evaluations run on a fixed pool of big-stack threads; each thread keeps one session, so the
 * lib, {@code fleet.nix} and the module files are parsed and imported once per thread, not once
 * per host. Close the evaluator to stop its threads. Thread-safe.
 */
public final class FleetEvaluator implements AutoCloseable {
    public static final String FLEET_FILE = "fleet.nix";

    private final Evaluator evaluator;
    private final Path dir;
    private final Path fleetFile;
    private final SortedMap<String, Map<String, Object>> hosts;
    private final ExecutorService pool;
    private final ThreadLocal<Worker> workers = new ThreadLocal<>();

    /**
     * @param hosts   every host's facts by name ({@code name, address, port, user, hostKey, tags,
     *                groups, vars}); each module sees its host as {@code host} and all as {@code hosts}
     * @param threads evaluations at once (at least 1)
     */
    public FleetEvaluator(Evaluator evaluator, Path fleetDir, Map<String, Map<String, Object>> hosts, int threads) {
        this.evaluator = evaluator;
        this.dir = fleetDir.toAbsolutePath().normalize();
        this.fleetFile = dir.resolve(FLEET_FILE);
        if (!Files.isRegularFile(fleetFile)) {
            throw new IllegalArgumentException(fleetFile + ": no such file (a fleet folder holds fleet.nix and inventory.yaml)");
        }
        this.hosts = new TreeMap<>(hosts);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(null, r, "fleet-eval-" + n.incrementAndGet(), Boundary.EVAL_STACK_BYTES);
            t.setDaemon(true);
            return t;
        });
    }

    public Path dir() {
        return dir;
    }

    public Path fleetFile() {
        return fleetFile;
    }

    /** Evaluates one host; with {@code withConfig}, also every option's value. */
    public HostEvaluation evaluate(String host, boolean withConfig) {
        try {
            return submit(host, withConfig).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EvalException(Pos.NONE, "evaluation interrupted");
        }
    }

    /** Starts evaluating one host; the future fails with an {@link EvalException} for a bad configuration. */
    public Future<HostEvaluation> submit(String host, boolean withConfig) {
        if (!hosts.containsKey(host)) {
            throw new IllegalArgumentException("no host named '" + host + "' in the inventory");
        }
        return pool.submit(() -> Modules.here(() -> worker().evaluate(host, withConfig)));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private Worker worker() {
        Worker w = workers.get();
        if (w == null) {
            w = new Worker(evaluator.newSession());
            workers.set(w);
        }
        return w;
    }

    /** One thread's session, with the lib, the driver and the fleet's value kept across hosts. */
    private final class Worker {
        final EvalSession session;
        final Value driver;
        final Value fleet;
        final NixAttrs hostsValue;

        Worker(EvalSession session) {
            this.session = session;
            this.driver = ModuleLib.fleetDriver(session, ModuleLib.lib(session));
            this.fleet = session.importFile(Bytes.fromJava(fleetFile.toString()), Pos.NONE);
            this.hostsValue = (NixAttrs) JavaValues.fromJava(hosts);
        }

        HostEvaluation evaluate(String host, boolean withConfig) {
            NixAttrs args = NixAttrs.builder()
                    .put("fleet", fleet)
                    .put("fleetFile", new NixString(Bytes.fromJava(fleetFile.toString())))
                    .put("root", new NixString(Bytes.fromJava(dir.toString())))
                    .put("host", hostsValue.get(host))
                    .put("hosts", hostsValue)
                    .build();
            NixAttrs result = Force.attrs(session.interpreter().apply(driver, args, Pos.NONE), Pos.NONE);
            Map<String, Object> system = asMap(JavaValues.toJava(result.get("system")));
            Map<String, Object> deployment = asMap(JavaValues.toJava(result.get("deployment")));
            Object config = withConfig ? JavaValues.toJava(result.get("config")) : null;
            List<String> files = new ArrayList<>();
            for (Object f : (List<?>) JavaValues.toJava(result.get("files"))) {
                files.add((String) f);
            }
            return new HostEvaluation(host, system, deployment, config, files,
                    javaMap(session.store().copiedSources()), javaMap(session.store().texts()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static Map<String, String> javaMap(Map<String, String> nix) {
        Map<String, String> out = new LinkedHashMap<>();
        nix.forEach((k, v) -> out.put(Bytes.toJava(k), Bytes.toJava(v)));
        return out;
    }
}
