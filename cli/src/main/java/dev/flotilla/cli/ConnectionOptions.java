package dev.flotilla.cli;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.rollout.FileRolloutStore;
import dev.flotilla.deploy.rollout.SshAgents;
import dev.flotilla.store.StoreDir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The deploying side: its state directory (store, keys, rollouts) and how it reaches and trusts hosts. */
final class ConnectionOptions {

    @Option(names = "--identity", paramLabel = "FILE", description = "SSH private key (OpenSSH format). Default: the state directory's own.")
    Path identity;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file pinning host keys of hosts without 'host_key'.")
    Path knownHosts;

    @Option(names = "--state", paramLabel = "DIR",
            description = "State directory: local store, keys, rollouts. Default: $FLOTILLA_STATE or ~/.local/state/flotilla.")
    Path state;

    @Option(names = "--store-dir", defaultValue = "/flotilla/store", paramLabel = "DIR", description = "Logical store directory (default: ${DEFAULT-VALUE}).")
    String storeDir;

    @Option(names = "--connect-timeout", defaultValue = "10", paramLabel = "SECONDS", description = "SSH connect timeout (default: ${DEFAULT-VALUE}).")
    int connectTimeout;

    @Option(names = "--confirm-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "How long a host waits for a switch's confirmation before rolling back by itself (default: ${DEFAULT-VALUE}).")
    int confirmTimeout;

    SshAgents agents(DeploySettings settings) {
        return new SshAgents(settings, Duration.ofSeconds(confirmTimeout));
    }

    Workspace workspace() {
        return new Workspace(state != null ? state : Workspace.defaultDir(), new StoreDir(storeDir));
    }

    /** Rollouts known to this workspace: one JSON file each under {@code <state>/rollouts/}. */
    FileRolloutStore rollouts() {
        return new FileRolloutStore(workspace().dir().resolve("rollouts"));
    }

    DeploySettings settings(int parallel, SwitchMode mode, PrintStream notices) throws IOException {
        Workspace ws = workspace();
        return new DeploySettings(ws.store(), ws.signingKey(notices), ws.identity(identity, notices), Optional.ofNullable(knownHosts),
                parallel, Duration.ofSeconds(connectTimeout), mode);
    }
}
