package dev.flotilla.agent.service;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.agent.ServiceStatus;
import dev.flotilla.agent.state.AtomicFiles;
import dev.flotilla.json.Json;
import dev.flotilla.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs services as child processes of the agent, for hosts and containers without systemd.
 *
 * <p>Each service's definition is recorded in {@code R/flotilla/var/services/<name>.json} before
 * it starts, and its processes carry {@code FLOTILLA_SERVICE=<R>|<name>|<hash>} in their environment.
 * Services outlive the agent: a new agent adopts the processes it finds with its marker (by
 * {@code /proc/<pid>/environ}) and kills those whose definition is no longer recorded, so an agent
 * killed at any point neither loses nor duplicates a service. Output goes to
 * {@code R/flotilla/var/log/services/<name>.log}.
 */
public final class BuiltinSupervisor implements ServiceManager {
    private static final Logger LOG = LoggerFactory.getLogger(BuiltinSupervisor.class);
    private static final String MARKER = "FLOTILLA_SERVICE";
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Path root;
    private final Path stateDir;
    private final Path logDir;
    private final Map<String, Supervised> services = new TreeMap<>();
    private ScheduledExecutorService timer;
    private boolean closed;

    /** A service this supervisor answers for; {@code handle} empty when not running. */
    private static final class Supervised {
        final ServiceSpec spec;
        final String hash;
        ProcessHandle handle;
        Process process;
        Instant startedAt = Instant.now();
        int restarts;
        String state = "stopped";

        Supervised(ServiceSpec spec) {
            this.spec = spec;
            this.hash = spec.hash();
        }

        boolean alive() {
            return handle != null && handle.isAlive();
        }
    }

    public BuiltinSupervisor(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.stateDir = this.root.resolve("flotilla/var/services");
        this.logDir = this.root.resolve("flotilla/var/log/services");
        load();
    }

    // ---- reconcile ----

    @Override
    public synchronized ServiceChanges plan(Map<String, ServiceSpec> desired) {
        List<String> started = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (String name : services.keySet()) {
            if (!desired.containsKey(name)) {
                stopped.add(name);
            }
        }
        for (ServiceSpec spec : desired.values()) {
            Supervised s = services.get(spec.name());
            if (s == null) {
                started.add(spec.name());
            } else if (!s.hash.equals(spec.hash())) {
                restarted.add(spec.name());
            } else if (!s.alive() && !"exited".equals(s.state)) {
                started.add(spec.name());
            } else {
                unchanged.add(spec.name());
            }
        }
        return new ServiceChanges(started, restarted, stopped, unchanged);
    }

    @Override
    public synchronized ServiceChanges apply(Map<String, ServiceSpec> desired) {
        ServiceChanges changes = plan(desired);
        Set<String> toStop = new HashSet<>(changes.stopped());
        toStop.addAll(changes.restarted());
        Map<String, List<String>> stopAfter = new HashMap<>();
        for (String name : toStop) {
            stopAfter.put(name, services.get(name).spec.after());
        }
        List<String> stopOrder = ServiceOrder.startOrder(stopAfter).reversed();
        for (String name : stopOrder) {
            stop(name);
        }
        Set<String> toStart = new HashSet<>(changes.started());
        toStart.addAll(changes.restarted());
        for (String name : ServiceOrder.startOrder(ServiceSpec.afterOf(desired))) {
            if (toStart.contains(name)) {
                Supervised old = services.remove(name);
                if (old != null) {
                    terminate(old);
                }
                start(new Supervised(desired.get(name)));
            }
        }
        return changes;
    }

    @Override
    public synchronized List<ServiceStatus> status() {
        List<ServiceStatus> out = new ArrayList<>();
        for (Supervised s : services.values()) {
            boolean alive = s.alive();
            out.add(new ServiceStatus(s.spec.name(), alive ? "running" : s.state,
                    alive ? OptionalLong.of(s.handle.pid()) : OptionalLong.empty(), s.hash));
        }
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    // ---- start, stop, restart policy ----

    private void start(Supervised s) {
        ServiceSpec spec = s.spec;
        try {
            writeRecord(s, OptionalLong.empty());  // recorded before it runs: a crash cannot leave an unknown process
            ProcessBuilder pb = new ProcessBuilder(argv(spec));
            Path dir = spec.workingDirectory().map(this::physical).orElse(root);
            if (!Files.isDirectory(dir)) {
                throw new IOException("working directory " + dir + " does not exist");
            }
            pb.directory(dir.toFile());
            Map<String, String> env = pb.environment();
            env.put("PATH", root.resolve("flotilla/var/current-system/sw/bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("FLOTILLA_ROOT", root.toString());
            env.putAll(spec.environment());
            env.put(MARKER, root + "|" + spec.name() + "|" + s.hash);
            Files.createDirectories(logDir);
            File log = logDir.resolve(spec.name() + ".log").toFile();
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            s.process = p;
            s.handle = p.toHandle();
            s.startedAt = Instant.now();
            s.state = "running";
            services.put(spec.name(), s);
            writeRecord(s, OptionalLong.of(p.pid()));
            watch(s);
            LOG.info("service {} started (pid {})", spec.name(), p.pid());
        } catch (IOException | RuntimeException e) {
            services.remove(spec.name());
            try {
                Files.deleteIfExists(record(spec.name()));
            } catch (IOException ignored) {
                // best effort
            }
            throw new AgentException(Kind.ACTIVATION, "service " + spec.name() + " could not start: " + e.getMessage(), e);
        }
    }

    private List<String> argv(ServiceSpec spec) throws IOException {
        List<String> argv = new ArrayList<>();
        Optional<String> user = spec.user().filter(u -> !u.equals(System.getProperty("user.name")));
        if (user.isPresent()) {
            if (!"root".equals(System.getProperty("user.name"))) {
                throw new IOException("runs as user " + user.get() + " but the agent is not root");
            }
            argv.addAll(List.of("setpriv", "--reuid=" + user.get(), "--regid=" + primaryGroup(user.get()), "--init-groups", "--"));
        }
        argv.addAll(spec.shell() ? List.of("/bin/sh", "-c", spec.command().getFirst()) : spec.command());
        return argv;
    }

    private static String primaryGroup(String user) throws IOException {
        try {
            Process p = new ProcessBuilder("id", "-g", user).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() != 0 || !out.matches("[0-9]+")) {
                throw new IOException("unknown user " + user + ": " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void watch(Supervised s) {
        ProcessHandle handle = s.handle;
        handle.onExit().thenRun(() -> exited(s, handle));
    }

    private synchronized void exited(Supervised s, ProcessHandle handle) {
        if (closed || services.get(s.spec.name()) != s || s.handle != handle) {
            return;  // stopped or replaced on purpose
        }
        Integer code = s.process != null && s.process.toHandle().equals(handle) ? s.process.exitValue() : null;
        boolean failed = code == null || code != 0;
        boolean again = switch (s.spec.restart()) {
            case ALWAYS -> true;
            case ON_FAILURE -> failed;
            case NO -> false;
        };
        s.handle = null;
        s.process = null;
        if (!again) {
            s.state = failed ? "failed" : "exited";
            LOG.warn("service {} exited ({}); restart={}, not restarting", s.spec.name(),
                    code == null ? "status unknown" : "status " + code, s.spec.restart().manifestName());
            return;
        }
        if (Duration.between(s.startedAt, Instant.now()).toSeconds() > 10) {
            s.restarts = 0;
        }
        long delay = Math.min(30_000L, 500L << Math.min(6, s.restarts));
        s.restarts++;
        s.state = "restarting";
        LOG.warn("service {} exited ({}); restarting in {} ms", s.spec.name(),
                code == null ? "status unknown" : "status " + code, delay);
        timer().schedule(() -> restart(s), delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void restart(Supervised s) {
        if (closed || services.get(s.spec.name()) != s || s.alive()) {
            return;
        }
        try {
            start(s);
        } catch (AgentException e) {
            s.state = "failed";
            services.put(s.spec.name(), s);
            LOG.error("{}", e.getMessage());
        }
    }

    private ScheduledExecutorService timer() {
        if (timer == null) {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                    r -> Thread.ofPlatform().daemon().name("flotilla-supervisor").unstarted(r));
            t.setRemoveOnCancelPolicy(true);
            timer = t;
        }
        return timer;
    }

    private void stop(String name) {
        Supervised s = services.remove(name);
        if (s == null) {
            return;
        }
        terminate(s);
        try {
            Files.deleteIfExists(record(name));
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", record(name), e.getMessage());
        }
        LOG.info("service {} stopped", name);
    }

    /** SIGTERM to the process and its descendants, SIGKILL to what is left after the grace period. */
    private static void terminate(Supervised s) {
        ProcessHandle h = s.handle;
        s.handle = null;
        if (h != null) {
            terminateTree(h);
        }
    }

    static void terminateTree(ProcessHandle h) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(h);
        h.descendants().forEach(all::add);
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle p : all) {
            while (p.isAlive() && System.nanoTime() < deadline) {
                try {
                    p.onExit().get(20, TimeUnit.MILLISECONDS);
                } catch (Exception ignored) {
                    // poll again
                }
            }
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    // ---- records and adoption ----

    private Path record(String name) {
        return stateDir.resolve(name + ".json");
    }

    private void writeRecord(Supervised s, OptionalLong pid) throws IOException {
        JsonObject.Builder o = JsonObject.builder().put("hash", s.hash).put("spec", s.spec.toJson());
        pid.ifPresent(p -> o.put("pid", p));
        AtomicFiles.write(record(s.spec.name()), Json.write(o.build()));
    }

    /** Reads the records and adopts the processes still running with a matching marker; kills strays. */
    private void load() {
        Map<String, List<Marked>> found = scanMarked();
        if (Files.isDirectory(stateDir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(stateDir)) {
                for (Path f : files) {
                    if (!f.getFileName().toString().endsWith(".json")) {
                        continue;
                    }
                    try {
                        Supervised s = new Supervised(ServiceSpec.fromJson(Json.parseObject(Files.readAllBytes(f)).object("spec")));
                        services.put(s.spec.name(), s);
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("ignoring unreadable service record {}: {}", f, e.getMessage());
                        Files.deleteIfExists(f);
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot list {}: {}", stateDir, e.getMessage());
            }
        }
        for (Map.Entry<String, List<Marked>> e : found.entrySet()) {
            Supervised s = services.get(e.getKey());
            for (Marked m : e.getValue()) {
                boolean ours = s != null && s.hash.equals(m.hash) && s.handle == null && m.topmost;
                if (ours) {
                    s.handle = m.handle;
                    s.state = "running";
                    watch(s);
                    LOG.info("service {} adopted (pid {})", s.spec.name(), m.handle.pid());
                }
            }
            for (Marked m : e.getValue()) {
                if (m.topmost && (s == null || s.handle != m.handle) && m.handle.isAlive()) {
                    LOG.warn("stopping stray process {} of service {} (definition no longer recorded)", m.handle.pid(), e.getKey());
                    terminateTree(m.handle);
                }
            }
        }
    }

    private record Marked(ProcessHandle handle, String hash, boolean topmost) {
    }

    /** Processes whose environment carries this root's marker, by service name. */
    private Map<String, List<Marked>> scanMarked() {
        String prefix = MARKER + "=" + root + "|";
        Map<Long, String[]> marked = new LinkedHashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : procs) {
                if (!isNumber(p.getFileName().toString())) {
                    continue;
                }
                try {
                    byte[] env = Files.readAllBytes(p.resolve("environ"));
                    String text = new String(env, java.nio.charset.StandardCharsets.UTF_8);
                    int at = text.startsWith(prefix) ? 0 : text.indexOf("\0" + prefix);
                    if (at >= 0) {
                        int from = at == 0 && text.startsWith(prefix) ? prefix.length() : at + 1 + prefix.length();
                        int end = text.indexOf('\0', from);
                        String rest = text.substring(from, end < 0 ? text.length() : end);
                        int bar = rest.lastIndexOf('|');
                        if (bar > 0) {
                            marked.put(Long.parseLong(p.getFileName().toString()),
                                    new String[] {rest.substring(0, bar), rest.substring(bar + 1)});
                        }
                    }
                } catch (IOException | RuntimeException ignored) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        Map<String, List<Marked>> byName = new TreeMap<>();
        for (Map.Entry<Long, String[]> e : marked.entrySet()) {
            Optional<ProcessHandle> h = ProcessHandle.of(e.getKey());
            if (h.isEmpty()) {
                continue;
            }
            Optional<ProcessHandle> parent = h.get().parent();
            boolean topmost = parent.isEmpty() || !sameService(marked.get(parent.get().pid()), e.getValue());
            List<Marked> ofService = byName.get(e.getValue()[0]);
            if (ofService == null) {
                ofService = new ArrayList<>();
                byName.put(e.getValue()[0], ofService);
            }
            ofService.add(new Marked(h.get(), e.getValue()[1], topmost));
        }
        return byName;
    }

    private static boolean isNumber(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static boolean sameService(String[] a, String[] b) {
        return a != null && a[0].equals(b[0]) && a[1].equals(b[1]);
    }

    private Path physical(String logical) {
        return root.resolve(logical.replaceFirst("^/+", ""));
    }
}
