package dev.flotilla.agent.system;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.agent.DriftEntry;
import dev.flotilla.agent.ServiceStatus;
import dev.flotilla.agent.profile.Symlinks;
import dev.flotilla.agent.service.BuiltinSupervisor;
import dev.flotilla.agent.service.ServiceChanges;
import dev.flotilla.agent.service.ServiceManager;
import dev.flotilla.agent.service.SystemdServices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Activates a system toplevel under the physical root, in this order: its {@code /etc} entries,
 * its secrets, its activation scripts, the {@code R/flotilla/var/current-system} link (absolute
 * logical target, like NixOS's {@code /run/current-system}; a GC root through
 * {@code R/flotilla/var/gcroots/current-system}), then its services. Any step failing throws
 * {@link AgentException} (ACTIVATION); the caller rolls back by activating the previous system.
 */
public final class SystemActivator implements AutoCloseable {
    private final Path root;
    private final EtcActivator etc;
    private final Path currentSystem;
    private final SecretWriter secrets;
    private final Function<Path, ServiceManager> serviceFactory;
    private ServiceManager services;

    /** What one activation did. */
    public record Report(EtcChanges etc, ServiceChanges services, List<String> scripts, List<String> warnings) {
        public String summary() {
            String text = etc.summary() + "; " + services.summary();
            if (!scripts.isEmpty()) {
                text += "; activation scripts: " + String.join(" ", scripts);
            }
            if (!warnings.isEmpty()) {
                text += "; warnings: " + String.join("; ", warnings);
            }
            return text;
        }
    }

    public SystemActivator(Path root, EtcActivator etc) {
        this(root, etc, SystemActivator::defaultServices);
    }

    /** @param serviceFactory makes the service manager on first use, from the physical root */
    public SystemActivator(Path root, EtcActivator etc, Function<Path, ServiceManager> serviceFactory) {
        this.root = root.toAbsolutePath().normalize();
        this.etc = etc;
        this.currentSystem = this.root.resolve("flotilla/var/current-system");
        this.secrets = new SecretWriter(this.root);
        this.serviceFactory = serviceFactory;
    }

    /** systemd when the host runs it and the root is {@code /}; otherwise the built-in supervisor. */
    public static ServiceManager defaultServices(Path root) {
        return SystemdServices.hostRunsSystemd(root) ? new SystemdServices(root, SystemdServices::exec) : new BuiltinSupervisor(root);
    }

    private synchronized ServiceManager services() {
        if (services == null) {
            services = serviceFactory.apply(root);
        }
        return services;
    }

    /** The physical directory of a logical store path. */
    public Path physical(String storePath) {
        return root.resolve(storePath.replaceFirst("^/+", ""));
    }

    /** The toplevel active now, if any. */
    public Optional<String> active() {
        return Symlinks.read(currentSystem);
    }

    public Manifest manifest(String toplevel) {
        return ManifestParser.read(physical(toplevel));
    }

    /** The active system's manifest, or {@link Manifest#EMPTY} (none, or unreadable). */
    public Manifest activeManifest() {
        try {
            Optional<String> active = active();
            return active.isPresent() ? manifest(active.get()) : Manifest.EMPTY;
        } catch (AgentException e) {
            return Manifest.EMPTY;
        }
    }

    public SecretWriter secrets() {
        return secrets;
    }

    /**
     * Activates {@code toplevel}. {@code secretContents} are the secrets delivered with this request
     * (empty for a rollback or an agent start: files already in place stay); {@code action} is passed
     * to activation scripts as {@code FLOTILLA_ACTION}.
     */
    public Report activate(String toplevel, Manifest manifest, Map<String, byte[]> secretContents, String action) {
        Manifest previous = activeManifest();
        EtcChanges etcChanges = etc.activate(toplevel, manifest);
        List<String> warnings = new ArrayList<>(secrets.apply(manifest.secrets(), previous.secrets(), secretContents));
        List<String> ran = runScripts(toplevel, manifest, action);
        try {
            Files.createDirectories(currentSystem.getParent());
            Symlinks.replace(currentSystem, toplevel);
            Path gcRoot = root.resolve("flotilla/var/gcroots/current-system");
            if (!Files.isSymbolicLink(gcRoot)) {
                Files.createDirectories(gcRoot.getParent());
                Symlinks.replace(gcRoot, "../current-system");  // keeps a test-mode system from garbage collection
            }
        } catch (IOException e) {
            throw new AgentException(Kind.ACTIVATION, "cannot record the current system: " + e.getMessage(), e);
        }
        ServiceChanges serviceChanges = services().apply(manifest.services());
        return new Report(etcChanges, serviceChanges, ran, warnings);
    }

    /** Compatibility: activation without secrets. */
    public EtcChanges activate(String toplevel, Manifest manifest) {
        return activate(toplevel, manifest, Map.of(), "switch").etc();
    }

    private List<String> runScripts(String toplevel, Manifest manifest, String action) {
        List<String> ran = new ArrayList<>();
        Path system = physical(toplevel);
        Map<String, String> env = Map.of("FLOTILLA_ROOT", root.toString(), "FLOTILLA_SYSTEM", system.toString(),
                "FLOTILLA_ACTION", action,
                "PATH", system.resolve("sw/bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        for (ActivationScript script : manifest.activationOrder()) {
            Shell.Outcome outcome;
            try {
                outcome = Shell.run(script.script(), root, env, script.timeout());
            } catch (IOException e) {
                throw new AgentException(Kind.ACTIVATION, "activation script '" + script.name() + "' could not run: " + e.getMessage(), e);
            }
            if (!outcome.ok()) {
                throw new AgentException(Kind.ACTIVATION, "activation script '" + script.name() + "' failed: "
                        + outcome.describe(script.timeout()));
            }
            ran.add(script.name());
        }
        return ran;
    }

    /** What activating would change, as text parts (etc, services, scripts); changes nothing. */
    public Report plan(String toplevel, Manifest manifest) {
        return new Report(etc.plan(toplevel, manifest), services().plan(manifest.services()),
                manifest.activationOrder().stream().map(ActivationScript::name).toList(), List.of());
    }

    public EtcChanges planEtc(String toplevel, Manifest manifest) {
        return etc.plan(toplevel, manifest);
    }

    /** Back to "no system active": services stopped, secrets and managed etc entries removed. */
    public EtcChanges deactivate() {
        services().apply(Map.of());
        secrets.apply(Map.of(), activeManifest().secrets(), Map.of());
        EtcChanges changes = etc.deactivate();
        try {
            Files.deleteIfExists(currentSystem);
        } catch (IOException e) {
            throw new AgentException(Kind.ACTIVATION, "cannot clear the current system: " + e.getMessage(), e);
        }
        return changes;
    }

    public List<DriftEntry> drift() {
        return etc.drift(active());
    }

    public List<ServiceStatus> serviceStatus() {
        return services().status();
    }

    @Override
    public synchronized void close() {
        if (services != null) {
            services.close();
        }
    }
}
