package dev.flotilla.deploy.rollout;

import dev.flotilla.agent.AgentStatus;
import dev.flotilla.agent.SwitchResult;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;

/**
 * What the engine needs from one host's agent. {@link SshAgents} implements it over
 * {@link dev.flotilla.agent.client.AgentClient}; tests use fakes. One instance per host and rollout run,
 * used by one thread at a time.
 */
public interface HostAgent extends AutoCloseable {

    AgentStatus status() throws IOException;

    /** Sends the closure of {@code toplevel} (only the paths the host lacks). */
    Transfer copy(String toplevel) throws IOException;

    /**
     * Switches to {@code toplevel} (copied before) and confirms the switch; the agent runs the health checks and
     * rolls back by itself if they fail, or if the confirmation does not come in time. {@code rolloutId} is
     * recorded beside the new generation.
     */
    SwitchResult switchTo(String toplevel, String rolloutId) throws IOException;

    /** Returns to {@code generation}, or to the one before the current when empty. */
    SwitchResult rollback(OptionalInt generation) throws IOException;

    /**
     * Runs the host's health checks again, changing nothing, for a stage's health gate. Names the failing
     * checks, or is empty when healthy.
     */
    List<String> recheck(String toplevel) throws IOException;

    @Override
    void close() throws IOException;

    /** Paths and NAR bytes a copy sent. */
    record Transfer(int pathsSent, long bytesSent) {}

    /** Opens a connection to a rollout's host. */
    @FunctionalInterface
    interface Connector {
        /** @throws IOException with a message for people when the host cannot be reached or trusted */
        HostAgent connect(HostRecord host) throws IOException;
    }
}
