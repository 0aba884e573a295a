package dev.flotilla.agent.server;

import dev.flotilla.agent.protocol.StreamService;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.subsystem.SubsystemFactory;

/** An SSH subsystem that runs a {@link StreamService} over the channel's streams, one instance per channel. */
public final class StreamSubsystemFactory implements SubsystemFactory {
    private final String name;
    private final StreamService service;

    private final String label;

    public StreamSubsystemFactory(String name, StreamService service) {
        this(name, service, "");
    }

    /** {@code label} (a host name, or empty) prefixes the worker threads' names, so logs tell simulated hosts apart. */
    public StreamSubsystemFactory(String name, StreamService service, String label) {
        this.name = name;
        this.service = service;
        this.label = label;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Command createSubsystem(ChannelSession channel) {
        return new StreamSubsystem(name, service, label.isEmpty() ? name : label + "/" + name);
    }
}
