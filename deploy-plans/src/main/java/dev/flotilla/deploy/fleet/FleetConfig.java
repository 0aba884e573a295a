package dev.flotilla.deploy.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.EvalOptions;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.eval.modules.FleetEvaluator;
import dev.flotilla.eval.modules.HostEvaluation;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.inventory.InventoryException;
import dev.flotilla.inventory.InventoryLoader;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.build.BuildLogs;
import dev.flotilla.store.build.ConfigException;
import dev.flotilla.store.build.DerivationBuilder;
import dev.flotilla.store.build.DerivationFailedException;
import dev.flotilla.store.build.Sandbox;
import dev.flotilla.store.build.SystemBuilder;
import dev.flotilla.store.build.SystemConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A fleet folder: {@code fleet.nix} (modules for all hosts, per group, per tag, per host), {@code
 * inventory.yaml}, optional {@code plans/} and {@code flotilla.lock}. Evaluates hosts with the module
 * system and builds their systems into a store.
 *
 * <pre>
 *   try (FleetConfig fleet = FleetConfig.load(dir)) {
 *       PathInfo toplevel = fleet.build("web-1", store, signer);   // evaluate + build, signed
 *   }
 * </pre>
 *
 * Thread-safe; close it to stop its evaluation threads.
 */
public final class FleetConfig implements AutoCloseable {
    public static final String INVENTORY_FILE = "inventory.yaml";
    public static final String PLANS_DIR = "plans";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /**
     * @param eval     evaluator settings (store directory above all: it must be the store's)
     * @param threads  evaluations at once
     * @param locked   refuse to evaluate when an input differs from flotilla.lock
     * @param sandbox  how derivation builders are isolated
     * @param progress hears about derivation builds and sandbox warnings (for people)
     */
    public record Options(EvalOptions eval, int threads, boolean locked, Sandbox.Mode sandbox, DerivationBuilder.Progress progress) {
        public Options {
            sandbox = sandbox == null ? Sandbox.Mode.AUTO : sandbox;
            progress = progress == null ? DerivationBuilder.Progress.NONE : progress;
        }

        public static Options defaults() {
            return new Options(EvalOptions.defaults(), Math.min(4, Runtime.getRuntime().availableProcessors()), false, null, null);
        }

        public Options withLocked(boolean l) {
            return new Options(eval, threads, l, sandbox, progress);
        }

        public Options withThreads(int n) {
            return new Options(eval, Math.max(1, n), locked, sandbox, progress);
        }

        public Options withStoreDir(String storeDir) {
            return new Options(eval.withStoreDir(storeDir), threads, locked, sandbox, progress);
        }

        public Options withSandbox(Sandbox.Mode mode) {
            return new Options(eval, threads, locked, mode, progress);
        }

        public Options withProgress(DerivationBuilder.Progress p) {
            return new Options(eval, threads, locked, sandbox, p);
        }
    }

    /** What the deployer needs from {@code deployment.*}: where and how to reach the host. */
    public record Deployment(String targetHost, int targetPort, List<String> tags, Optional<String> hostKey) {}

    private final Path dir;
    private final Inventory inventory;
    private final Options options;
    private final FleetEvaluator evaluator;
    private final FleetLock lockAtLoad;
    private volatile FleetLock recorded;
    private final InputRecorder inputs;
    private final Set<String> evaluated = ConcurrentHashMap.newKeySet();
    private final Set<StorePath> realised = ConcurrentHashMap.newKeySet();
    private final Map<Path, DerivationBuilder> builders = new ConcurrentHashMap<>();
    private volatile Sandbox sandbox;

    private FleetConfig(Path dir, Inventory inventory, Options options, FleetLock lockAtLoad, InputRecorder inputs) {
        this.dir = dir;
        this.inventory = inventory;
        this.options = options;
        this.lockAtLoad = lockAtLoad;
        this.recorded = lockAtLoad;
        this.inputs = inputs;
        Map<String, Map<String, Object>> facts = new TreeMap<>();
        for (Host h : inventory.hosts()) {
            facts.put(h.name(), facts(h));
        }
        this.evaluator = new FleetEvaluator(new Evaluator(options.eval().withInputs(inputs)), dir, facts, options.threads());
    }

    public static FleetConfig load(Path dir) {
        return load(dir, Options.defaults());
    }

    /** Loads the inventory; with {@code options.locked()}, first checks every input against flotilla.lock. */
    public static FleetConfig load(Path dir, Options options) {
        Path d = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(d)) {
            throw new FleetException(FleetException.Kind.LOAD, dir + ": not a directory (a fleet folder holds fleet.nix and inventory.yaml)");
        }
        if (!Files.isRegularFile(d.resolve(FleetEvaluator.FLEET_FILE))) {
            throw new FleetException(FleetException.Kind.LOAD, d.resolve(FleetEvaluator.FLEET_FILE) + ": no such file");
        }
        FleetLock lock;
        try {
            lock = FleetLock.read(d).orElse(null);
            if (options.locked()) {
                if (lock == null) {
                    throw new FleetException(FleetException.Kind.LOCKED, d.resolve(FleetLock.FILE)
                            + ": no lock file; run 'flotilla build' once without --locked to create it");
                }
                List<FleetLock.Change> changes = lock.verify(d);
                if (!changes.isEmpty()) {
                    throw new FleetException(FleetException.Kind.LOCKED, d.resolve(FleetLock.FILE) + ": "
                            + changes.stream().map(FleetLock.Change::toString).collect(java.util.stream.Collectors.joining("; "))
                            + "; refusing to evaluate with --locked (run 'flotilla build' without --locked to update the lock)");
                }
            }
        } catch (IOException e) {
            throw new FleetException(FleetException.Kind.LOAD, e.getMessage(), e);
        }
        Inventory inv;
        InputRecorder inputs = new InputRecorder(d, options.locked() ? lock : null);
        try {
            inv = InventoryLoader.load(d.resolve(INVENTORY_FILE));
            for (Path f : inventoryFiles(d)) {
                inputs.add(FleetLock.file(d, f));
            }
        } catch (InventoryException e) {
            throw new FleetException(FleetException.Kind.LOAD, e.getMessage(), e);
        } catch (IOException e) {
            throw new FleetException(FleetException.Kind.LOAD, e.getMessage(), e);
        }
        return new FleetConfig(d, inv, options, lock, inputs);
    }

    /** The files the inventory loader reads: inventory.yaml and Ansible's group_vars/ and host_vars/ beside it. */
    private static List<Path> inventoryFiles(Path dir) throws IOException {
        List<Path> out = new java.util.ArrayList<>(List.of(dir.resolve(INVENTORY_FILE)));
        for (String vars : List.of("group_vars", "host_vars")) {
            Path v = dir.resolve(vars);
            if (Files.isDirectory(v)) {
                try (java.util.stream.Stream<Path> s = Files.walk(v)) {
                    s.filter(Files::isRegularFile).sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    public Path dir() {
        return dir;
    }

    public Inventory inventory() {
        return inventory;
    }

    /** The folder's {@code plans/} directory, if it has one. */
    public Optional<Path> plansDir() {
        Path p = dir.resolve(PLANS_DIR);
        return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }

    /** The facts a host's modules see as {@code host}: {@link Host#facts()} plus {@code hostKey}. */
    public static Map<String, Object> facts(Host h) {
        Map<String, Object> f = new TreeMap<>(h.facts());
        f.put("hostKey", h.hostKey().orElse(null));
        return f;
    }

    /** Evaluates one host (its system and deployment settings). */
    public HostEvaluation evaluate(String host) {
        return evaluate(host, false);
    }

    /** Every option's value for one host, as plain Java values (sorted maps, lists, strings, longs, booleans, null). */
    public Object config(String host) {
        return evaluate(host, true).config();
    }

    /** {@link #config} as pretty JSON (for {@code flotilla eval --fleet DIR --host NAME --json}). */
    public String configJson(String host) {
        try {
            return JSON.writeValueAsString(config(host));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Deployment deployment(String host) {
        Map<String, Object> d = evaluate(host).deployment();
        @SuppressWarnings("unchecked")
        List<String> tags = (List<String>) d.get("tags");
        return new Deployment((String) d.get("targetHost"), ((Long) d.get("targetPort")).intValue(), tags,
                Optional.ofNullable((String) d.get("hostKey")));
    }

    /** The host as the deployer should see it: the inventory's record with {@code deployment.*} applied. */
    public Host effectiveHost(String host) {
        Host h = requireHost(host);
        Deployment d = deployment(host);
        return new Host(h.name(), d.targetHost(), d.targetPort(), h.user(), d.hostKey(), Set.copyOf(d.tags()), h.groups(), h.vars());
    }

    /** Evaluates the host and reads its system configuration. */
    public SystemConfig systemConfig(String host) {
        return systemConfig(evaluate(host));
    }

    /**
     * Evaluates and builds one host's system into {@code store}: copies the sources the evaluation
     * referenced into the store, then builds the toplevel (signed by {@code signer}).
     */
    public PathInfo build(String host, LocalStore store, SigningKey signer) {
        HostEvaluation ev = evaluate(host);
        SystemConfig config = systemConfig(ev);
        try {
            realise(ev, store, signer);
            realiseDerivations(ev, store, signer);
            return new SystemBuilder(store, signer).build(host, config);
        } catch (DerivationFailedException e) {
            throw new FleetException(FleetException.Kind.BUILD, "host " + host + ": " + e.getMessage(), e);
        } catch (ConfigException e) {
            throw new FleetException(FleetException.Kind.BUILD, "host " + host + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new FleetException(FleetException.Kind.BUILD, "building the system of " + host + ": " + describe(e), e);
        }
    }

    /**
     * The lock for what has been evaluated so far: exactly the inputs read, when every host of the
     * inventory was evaluated; otherwise the previous lock with the inputs read now added or updated
     * (the hosts not evaluated may still need the others).
     */
    public FleetLock currentLock() {
        List<FleetLock.Pin> pins = inputs.pins();
        boolean everyHost = inventory.hosts().stream().allMatch(h -> evaluated.contains(h.name()));
        if (everyHost || recorded == null) {
            return FleetLock.of(pins);
        }
        return recorded.with(pins);
    }

    /** Writes flotilla.lock if it would change; true when it did. Never with --locked (every read was checked instead). */
    public synchronized boolean updateLock() throws IOException {
        if (options.locked()) {
            return false;
        }
        FleetLock now = currentLock();
        if (now.equals(recorded)) {
            return false;
        }
        now.write(dir);
        recorded = now;
        return true;
    }

    /** Build logs of derivations, for {@code flotilla build --log}. */
    public BuildLogs logs(LocalStore store) {
        return BuildLogs.of(store);
    }

    /** The .drv paths whose outputs the host's system uses (directly), in name order. */
    public List<String> derivationsOf(String host) {
        HostEvaluation ev = evaluate(host);
        return List.copyOf(new java.util.TreeSet<>(SystemDerivations.needed(ev, options.eval().storeDir()).values()));
    }

    @Override
    public void close() {
        evaluator.close();
    }

    private HostEvaluation evaluate(String host, boolean withConfig) {
        requireHost(host);
        HostEvaluation ev;
        try {
            ev = evaluator.evaluate(host, withConfig);
        } catch (EvalException e) {
            throw new FleetException(FleetException.Kind.EVALUATE, "host " + host + ": " + e.getMessage(), e);
        }
        evaluated.add(host);
        List<FleetLock.Change> changes = inputs.changes();
        if (!changes.isEmpty()) {
            throw new FleetException(FleetException.Kind.LOCKED, dir.resolve(FleetLock.FILE) + ": host " + host + " reads "
                    + changes.stream().map(FleetLock.Change::toString).collect(java.util.stream.Collectors.joining("; "))
                    + "; refusing with --locked");
        }
        return ev;
    }

    private SystemConfig systemConfig(HostEvaluation ev) {
        try {
            return SystemConfig.fromValue(ev.system());
        } catch (ConfigException e) {
            throw new FleetException(FleetException.Kind.EVALUATE, "host " + ev.host() + ": " + e.getMessage(), e);
        }
    }

    /** Adds the sources (and plain texts) the evaluation computed store paths for, as the evaluator computed them. */
    private void realise(HostEvaluation ev, LocalStore store, SigningKey signer) throws IOException {
        for (Map.Entry<String, String> e : new TreeMap<>(ev.copiedSources()).entrySet()) {
            StorePath expected = StorePath.parse(store.storeDir(), e.getKey());
            if (realised.contains(expected) || store.isValid(expected)) {
                realised.add(expected);
                continue;
            }
            PathInfo info = store.addTree(Path.of(e.getValue()), expected.name(), Set.of(), signer);
            if (!info.path().equals(expected)) {
                throw new IllegalStateException(e.getValue() + " was added as " + info.path() + ", but the evaluator computed " + expected);
            }
            realised.add(expected);
        }
        for (Map.Entry<String, String> e : new TreeMap<>(ev.texts()).entrySet()) {
            StorePath expected = StorePath.parse(store.storeDir(), e.getKey());
            if (expected.name().endsWith(".drv") || realised.contains(expected) || store.isValid(expected)) {
                continue;
            }
            if (dev.flotilla.store.StorePaths.text(store.storeDir(), expected.name(), e.getValue(), Set.of()).equals(expected)) {
                store.addText(expected.name(), e.getValue(), Set.of(), signer);
                realised.add(expected);
            }
        }
    }

    /**
     * Builds the derivations whose outputs the host's system names (packages, sources, texts), each
     * with its inputs first; what is valid already is not built again.
     */
    private void realiseDerivations(HostEvaluation ev, LocalStore store, SigningKey signer) throws IOException {
        Map<String, String> needed = SystemDerivations.needed(ev, options.eval().storeDir());
        if (needed.isEmpty()) {
            return;
        }
        DerivationBuilder b = builders.computeIfAbsent(store.physicalRoot(), r -> new DerivationBuilder(store, signer, sandbox(), options.progress()));
        for (String drv : new java.util.TreeSet<>(needed.values())) {
            b.realise(drv, ev.texts()::get);
        }
    }

    private Sandbox sandbox() {
        Sandbox s = sandbox;
        if (s == null) {
            synchronized (this) {
                if (sandbox == null) {
                    // Nobody listening must not make the no-sandbox warning quiet.
                    Consumer<String> warn = options.progress() == DerivationBuilder.Progress.NONE ? System.err::println : options.progress();
                    sandbox = Sandbox.choose(options.sandbox(), warn);
                }
                s = sandbox;
            }
        }
        return s;
    }

    private Host requireHost(String name) {
        return inventory.host(name).orElseThrow(() -> new FleetException(FleetException.Kind.LOAD,
                "no host named '" + name + "' in " + dir.resolve(INVENTORY_FILE)));
    }

    static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
