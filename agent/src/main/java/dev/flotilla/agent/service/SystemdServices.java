package dev.flotilla.agent.service;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.agent.ServiceStatus;
import dev.flotilla.agent.state.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Services as systemd units: {@code R/etc/systemd/system/flotilla-<name>.service}, each carrying
 * the definition's hash in its first line; then {@code systemctl daemon-reload} and one
 * {@code systemctl stop|restart|start} per kind of change (systemd orders each batch by
 * {@code After=}). Used when the host runs systemd ({@code /run/systemd/system} exists).
 */
public final class SystemdServices implements ServiceManager {
    static final String PREFIX = "flotilla-";
    private static final Pattern HASH_LINE = Pattern.compile("^# flotilla-hash: ([0-9a-f]+)$", Pattern.MULTILINE);

    /** Runs a command (systemctl); injectable so tests need no systemd. */
    @FunctionalInterface
    public interface CommandRunner {
        void run(List<String> argv) throws IOException;
    }

    private final Path unitDir;
    private final CommandRunner runner;

    public SystemdServices(Path root, CommandRunner runner) {
        this.unitDir = root.toAbsolutePath().normalize().resolve("etc/systemd/system");
        this.runner = runner;
    }

    /** Whether the host at {@code root} runs systemd (sd_booted's test). */
    public static boolean hostRunsSystemd(Path root) {
        return root.toAbsolutePath().normalize().equals(Path.of("/")) && Files.isDirectory(Path.of("/run/systemd/system"));
    }

    /** Runs {@code argv} and fails with its output on a non-zero exit. */
    public static void exec(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            int code = p.waitFor();
            if (code != 0) {
                throw new IOException(String.join(" ", argv) + " failed (exit " + code + "): " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", argv), e);
        }
    }

    public static String unitName(String service) {
        return PREFIX + service + ".service";
    }

    @Override
    public ServiceChanges plan(Map<String, ServiceSpec> desired) {
        Map<String, String> installed = installed();
        List<String> started = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        installed.keySet().stream().filter(n -> !desired.containsKey(n)).forEach(stopped::add);
        for (String name : ServiceOrder.startOrder(ServiceSpec.afterOf(desired))) {
            String hash = installed.get(name);
            if (hash == null) {
                started.add(name);
            } else if (!hash.equals(desired.get(name).hash())) {
                restarted.add(name);
            } else {
                unchanged.add(name);
            }
        }
        return new ServiceChanges(started, restarted, stopped, unchanged);
    }

    @Override
    public ServiceChanges apply(Map<String, ServiceSpec> desired) {
        ServiceChanges changes = plan(desired);
        if (changes.isEmpty()) {
            return changes;
        }
        try {
            if (!changes.stopped().isEmpty()) {
                systemctl("stop", changes.stopped());
                for (String name : changes.stopped()) {
                    Files.deleteIfExists(unitDir.resolve(unitName(name)));
                }
            }
            for (String name : changes.started()) {
                AtomicFiles.write(unitDir.resolve(unitName(name)), unitFile(desired.get(name), desired).getBytes(StandardCharsets.UTF_8));
            }
            for (String name : changes.restarted()) {
                AtomicFiles.write(unitDir.resolve(unitName(name)), unitFile(desired.get(name), desired).getBytes(StandardCharsets.UTF_8));
            }
            runner.run(List.of("systemctl", "daemon-reload"));
            if (!changes.restarted().isEmpty()) {
                systemctl("restart", changes.restarted());
            }
            if (!changes.started().isEmpty()) {
                systemctl("start", changes.started());
            }
            return changes;
        } catch (IOException e) {
            throw new AgentException(Kind.ACTIVATION, "systemd: " + e.getMessage(), e);
        }
    }

    private void systemctl(String verb, List<String> services) throws IOException {
        List<String> argv = new ArrayList<>(List.of("systemctl", verb));
        services.forEach(s -> argv.add(unitName(s)));
        runner.run(argv);
    }

    @Override
    public List<ServiceStatus> status() {
        List<ServiceStatus> out = new ArrayList<>();
        installed().forEach((name, hash) -> out.add(new ServiceStatus(name, "unknown", OptionalLong.empty(), hash)));
        return out;
    }

    @Override
    public void close() {
        // nothing to stop watching: systemd supervises
    }

    /** Installed flotilla units: service name → hash from the unit's first line. */
    private Map<String, String> installed() {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(unitDir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(unitDir)) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                if (file.startsWith(PREFIX) && file.endsWith(".service")) {
                    Matcher m = HASH_LINE.matcher(Files.readString(f));
                    out.put(file.substring(PREFIX.length(), file.length() - ".service".length()), m.find() ? m.group(1) : "");
                }
            }
        } catch (IOException e) {
            throw new AgentException(Kind.ACTIVATION, "cannot read " + unitDir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The unit file text for {@code spec}; {@code all} tells which {@code after} names are Flotilla services. */
    public static String unitFile(ServiceSpec spec, Map<String, ServiceSpec> all) {
        StringBuilder u = new StringBuilder();
        u.append("# flotilla-hash: ").append(spec.hash()).append('\n');
        u.append("# Generated by flotilla-agent; changes are overwritten at the next switch.\n");
        u.append("[Unit]\n");
        u.append("Description=Flotilla service ").append(spec.name()).append('\n');
        List<String> after = spec.after().stream()
                .map(a -> all.containsKey(a) ? unitName(a) : a).toList();
        if (!after.isEmpty()) {
            u.append("After=").append(String.join(" ", after)).append('\n');
        }
        u.append("\n[Service]\n");
        List<String> argv = spec.shell() ? List.of("/bin/sh", "-c", spec.command().getFirst()) : spec.command();
        u.append("ExecStart=").append(String.join(" ", argv.stream().map(SystemdServices::quote).toList())).append('\n');
        spec.environment().forEach((k, v) -> u.append("Environment=").append(quote(k + "=" + v, false)).append('\n'));
        spec.workingDirectory().ifPresent(d -> u.append("WorkingDirectory=").append(d.replace("%", "%%")).append('\n'));
        spec.user().ifPresent(user -> u.append("User=").append(user).append('\n'));
        u.append("Restart=").append(spec.restart().manifestName()).append('\n');
        u.append("RestartSec=1\n");
        u.append("\n[Install]\nWantedBy=multi-user.target\n");
        return u.toString();
    }

    /** A systemd word in double quotes: backslash, quote escaped; {@code %} and {@code $} doubled (no expansion). */
    static String quote(String word) {
        return quote(word, true);
    }

    /** As {@link #quote(String)}; {@code $} doubled only where systemd expands variables (ExecStart). */
    static String quote(String word, boolean dollars) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : word.toCharArray()) {
            switch (c) {
                case '\\' -> q.append("\\\\");
                case '"' -> q.append("\\\"");
                case '%' -> q.append("%%");
                case '$' -> q.append(dollars ? "$$" : "$");
                default -> q.append(c);
            }
        }
        return q.append('"').toString();
    }

    Optional<String> unitText(String name) throws IOException {
        Path f = unitDir.resolve(unitName(name));
        return Files.isRegularFile(f) ? Optional.of(Files.readString(f)) : Optional.empty();
    }
}
