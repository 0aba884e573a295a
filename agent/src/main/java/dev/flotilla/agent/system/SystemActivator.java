package dev.flotilla.agent.system;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.agent.profile.Symlinks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Activates a system toplevel under the physical root: its etc entries, then the
 * {@code R/flotilla/var/current-system} link (absolute logical target, like NixOS's
 * {@code /run/current-system}) that says what is active now, itself a GC root through
 * {@code R/flotilla/var/gcroots/current-system}.
 */
public final class SystemActivator {
    private final Path root;
    private final EtcActivator etc;
    private final Path currentSystem;

    public SystemActivator(Path root, EtcActivator etc) {
        this.root = root.toAbsolutePath().normalize();
        this.etc = etc;
        this.currentSystem = this.root.resolve("flotilla/var/current-system");
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

    public EtcChanges activate(String toplevel, Manifest manifest) {
        EtcChanges changes = etc.activate(toplevel, manifest);
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
        return changes;
    }

    public EtcChanges plan(String toplevel, Manifest manifest) {
        return etc.plan(toplevel, manifest);
    }

    /** Back to "no system active": managed etc entries removed. */
    public EtcChanges deactivate() {
        EtcChanges changes = etc.deactivate();
        try {
            Files.deleteIfExists(currentSystem);
        } catch (IOException e) {
            throw new AgentException(Kind.ACTIVATION, "cannot clear the current system: " + e.getMessage(), e);
        }
        return changes;
    }
}
