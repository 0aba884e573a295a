package dev.flotilla.deploy.rollout;

import dev.flotilla.agent.AgentStatus;
import dev.flotilla.agent.CheckReport;
import dev.flotilla.agent.CheckResult;
import dev.flotilla.agent.SwitchOptions;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.agent.client.HostKeyPin;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.copy.CopyListener;
import dev.flotilla.store.copy.CopyResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Hosts' agents over SSH, through {@link AgentClient}, trusted as {@link DeploySettings} says. */
public final class SshAgents implements HostAgent.Connector {

    private final DeploySettings settings;
    private final Duration confirmTimeout;

    public SshAgents(DeploySettings settings) {
        this(settings, SwitchOptions.DEFAULT_CONFIRM_TIMEOUT);
    }

    /**
     * @param confirmTimeout how long an agent waits for a switch's confirmation (sent over a new connection once
     *                       the switch returns) before it rolls back by itself
     */
    public SshAgents(DeploySettings settings, Duration confirmTimeout) {
        this.settings = settings;
        this.confirmTimeout = confirmTimeout;
    }

    @Override
    public HostAgent connect(HostRecord host) throws IOException {
        return new Ssh(client(host), settings, confirmTimeout);
    }

    /** A plain agent connection with the same pinning, for what is not a rollout step (housekeeping, queries). */
    public AgentClient client(HostRecord host) throws IOException {
        return AgentClient.connect(host.address(), host.port(), settings.identity(), pinFor(host), settings.connectTimeout());
    }

    private HostKeyPin pinFor(HostRecord host) throws IOException {
        if (!host.hostKey().isEmpty()) {
            return HostKeyPin.ofPublicKeyLine(host.hostKey());
        }
        if (settings.knownHosts().isPresent()) {
            return HostKeyPin.fromKnownHosts(settings.knownHosts().get(), host.address(), host.port());
        }
        throw new IOException("no pinned host key for " + host.name()
                + ": add 'host_key' to its inventory entry or pass --known-hosts FILE (Flotilla never trusts a key on first use)");
    }

    private record Ssh(AgentClient client, DeploySettings settings, Duration confirmTimeout) implements HostAgent {

        @Override
        public AgentStatus status() throws IOException {
            return client.status();
        }

        @Override
        public Transfer copy(String toplevel) throws IOException {
            StorePath root = StorePath.parse(settings.store().storeDir(), toplevel);
            CopyResult r = client.copyClosure(settings.store(), List.of(root), CopyListener.NONE);
            return new Transfer(r.pathsSent(), r.narBytesSent());
        }

        @Override
        public SwitchResult switchTo(String toplevel, String rolloutId) throws IOException {
            SwitchOptions options = new SwitchOptions(confirmTimeout, Optional.of(rolloutId), Map.of());
            return client.confirm(client.switchTo(toplevel, settings.mode(), options));
        }

        @Override
        public SwitchResult rollback(OptionalInt generation) throws IOException {
            return client.rollback(generation);
        }

        /**
         * Asks the agent to run the checks of what it runs now (its {@code check} request changes nothing).
         * Only for modes that activate; a {@code boot} or {@code dry-activate} rollout has nothing running to check.
         */
        @Override
        public List<String> recheck(String toplevel) throws IOException {
            if (!settings.mode().activatesNow() || toplevel.isEmpty()) {
                return List.of();
            }
            CheckReport report = client.check();
            if (!report.toplevel().equals(toplevel)) {
                return List.of("the host no longer runs " + toplevel + " (active: " + report.toplevel() + ")");
            }
            return report.checks().stream().filter(c -> !c.healthy()).map(SshAgents::describe).toList();
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    private static String describe(CheckResult c) {
        return "check '" + c.name() + "' fails" + (c.output().isEmpty() ? "" : ": " + c.output());
    }
}
