package dev.flotilla.agent.server;

import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSessionFactory;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.subsystem.SubsystemFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;

/**
 * The agent's embedded SSH server: one host key, public-key authentication against an
 * authorized_keys file only, session channels only, and no shell, exec, forwarding or agent: only
 * the given subsystems.
 */
public final class AgentServer implements AutoCloseable {
    private final SshServer sshd;
    private final PublicKey hostKey;

    private AgentServer(SshServer sshd, PublicKey hostKey) {
        this.sshd = sshd;
        this.hostKey = hostKey;
    }

    /** Starts listening on {@code host:port} (port 0 picks a free port; see {@link #port()}). */
    public static AgentServer start(String host, int port, KeyPair hostKey, Path authorizedKeys,
                                    List<? extends SubsystemFactory> subsystems) throws IOException {
        return start(host, port, hostKey, authorizedKeys, subsystems, Optional.empty());
    }

    /** As {@link #start(String, int, KeyPair, Path, List)}, on {@code shared} threads when given (see {@link SharedServerThreads}). */
    public static AgentServer start(String host, int port, KeyPair hostKey, Path authorizedKeys,
                                    List<? extends SubsystemFactory> subsystems, Optional<SharedServerThreads> shared)
            throws IOException {
        if (!Files.isReadable(authorizedKeys)) {
            throw new IOException("authorized keys file " + authorizedKeys + " is missing or unreadable");
        }
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(host);
        sshd.setPort(port);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        sshd.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(authorizedKeys));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);
        sshd.setShellFactory(null);
        sshd.setCommandFactory(null);
        sshd.setChannelFactories(List.of(ChannelSessionFactory.INSTANCE));
        sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        sshd.setAgentFactory(null);
        sshd.setSubsystemFactories(List.copyOf(subsystems));
        // an agent serves one deploying side at a time: two I/O workers instead of cores+1 keep it small
        CoreModuleProperties.NIO_WORKERS.set(sshd, Integer.getInteger("flotilla.agent.nioWorkers", 2));
        shared.ifPresent(threads -> threads.applyTo(sshd));
        sshd.start();
        return new AgentServer(sshd, hostKey.getPublic());
    }

    /** The port actually bound. */
    public int port() {
        for (SocketAddress address : sshd.getBoundAddresses()) {
            if (address instanceof InetSocketAddress inet) {
                return inet.getPort();
            }
        }
        return sshd.getPort();
    }

    public String host() {
        return sshd.getHost();
    }

    public PublicKey hostKey() {
        return hostKey;
    }

    public boolean isOpen() {
        return sshd.isOpen();
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }
}
