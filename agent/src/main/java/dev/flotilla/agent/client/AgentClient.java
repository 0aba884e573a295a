package dev.flotilla.agent.client;

import dev.flotilla.agent.Agent;
import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.agent.AgentStatus;
import dev.flotilla.agent.CheckReport;
import dev.flotilla.agent.ConfirmResult;
import dev.flotilla.agent.DriftEntry;
import dev.flotilla.agent.GenerationsDeleted;
import dev.flotilla.agent.SwitchOptions;
import dev.flotilla.agent.GenerationInfo;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.protocol.AgentJson;
import dev.flotilla.agent.protocol.AgentProtocol;
import dev.flotilla.agent.protocol.Frames;
import dev.flotilla.json.JsonException;
import dev.flotilla.json.JsonObject;
import dev.flotilla.json.JsonValue;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.copy.CopyListener;
import dev.flotilla.store.copy.CopyResult;
import dev.flotilla.store.copy.StoreProtocolClient;
import org.apache.sshd.client.channel.ChannelSubsystem;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyPair;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A connection to one host's agent over SSH (one session; a channel per store copy, one channel
 * for agent requests). Thread-safe: agent requests are serialised.
 *
 * <p>Errors: {@link IOException} for transport problems (cannot connect, host key mismatch,
 * authentication refused, connection lost); {@link AgentException} with the agent's
 * {@link AgentException.Kind} when the agent answered with an error.
 */
public final class AgentClient implements AutoCloseable {
    /** The SSH user name sent (the agent authenticates by key only). */
    public static final String USER = "flotilla";

    private final ClientSession session;
    private final String target;
    private final Duration timeout;
    private final Reconnect reconnect;
    private ChannelSubsystem agentChannel;
    private long nextId = 1;

    /** How to open another connection to the same agent (a confirmation must come over a new one). */
    private record Reconnect(String host, int port, KeyPair identity, HostKeyPin pin, Duration timeout) {
        AgentClient open() throws IOException {
            return connect(host, port, identity, pin, timeout);
        }
    }

    private AgentClient(ClientSession session, String target, Duration timeout, Reconnect reconnect) {
        this.session = session;
        this.target = target;
        this.timeout = timeout;
        this.reconnect = reconnect;
    }

    /**
     * Connects and authenticates with {@code identity}; refuses the server unless its host key
     * matches {@code pin}. {@code timeout} bounds connecting, key exchange, authentication and
     * opening channels.
     */
    public static AgentClient connect(String host, int port, KeyPair identity, HostKeyPin pin, Duration timeout)
            throws IOException {
        String target = host + ":" + port;
        SharedSshClient.Expectation expectation = new SharedSshClient.Expectation(target, pin, new AtomicReference<>());
        ClientSession session = null;
        boolean authenticating = false;
        try {
            ConnectFuture future = SharedSshClient.get().connect(USER, host, port, SharedSshClient.context(expectation), null);
            session = future.verify(timeout).getSession();
            session.addPublicKeyIdentity(identity);
            authenticating = true;
            session.auth().verify(timeout);
            return new AgentClient(session, target, timeout, new Reconnect(host, port, identity, pin, timeout));
        } catch (IOException | RuntimeException e) {
            if (session != null) {
                session.close(true);
            }
            String mismatch = expectation.mismatch().get();
            if (mismatch != null) {
                throw new IOException(mismatch, e);
            }
            if (authenticating) {
                throw new IOException("agent at " + target + " refused authentication with key "
                        + SshKeys.fingerprint(identity.getPublic()) + ": is it in the agent's authorized_keys?", e);
            }
            throw new IOException("cannot connect to agent at " + target + ": " + e.getMessage(), e);
        }
    }

    /** {@code host:port} this client talks to. */
    public String target() {
        return target;
    }

    /**
     * Copies the closure of {@code roots} from {@code source} to the host's store (only the paths it
     * lacks), over the {@code flotilla-store} subsystem. A refusal by the host raises
     * {@link dev.flotilla.store.copy.StoreProtocolException}.
     */
    public CopyResult copyClosure(LocalStore source, Collection<StorePath> roots, CopyListener listener) throws IOException {
        StoreProtocolClient copier = new StoreProtocolClient(source);
        return onSubsystem(Agent.STORE_SUBSYSTEM, (fromServer, toServer) ->
                copier.copyClosure(roots, fromServer, toServer, listener == null ? CopyListener.NONE : listener));
    }

    /**
     * Switches the host to {@code toplevel} (its closure must have been copied) and, when the agent
     * waits for a confirmation, confirms at once over a new connection (which proves the host is
     * still reachable). If the agent rolled back meanwhile the result says {@code rolledBack}; if the
     * confirmation cannot be sent, this throws {@link IOException} (the agent then rolls back by
     * itself at the deadline). Never reports an unconfirmed switch as a success.
     */
    public SwitchResult switchTo(StorePath toplevel, SwitchMode mode) throws IOException {
        return switchTo(toplevel.absolute(), mode);
    }

    /** As {@link #switchTo(StorePath, SwitchMode)}, with the absolute store path as text. */
    public SwitchResult switchTo(String toplevel, SwitchMode mode) throws IOException {
        return confirmed(switchTo(toplevel, mode, SwitchOptions.defaults()));
    }

    /**
     * Switches without confirming: when {@link SwitchResult#needsConfirm()}, call {@link #confirm}
     * before {@link SwitchResult#confirmDeadline()} (after your own checks), or the agent rolls back.
     */
    public SwitchResult switchTo(StorePath toplevel, SwitchMode mode, SwitchOptions options) throws IOException {
        return switchTo(toplevel.absolute(), mode, options);
    }

    /** As {@link #switchTo(StorePath, SwitchMode, SwitchOptions)}, with the absolute store path as text. */
    public SwitchResult switchTo(String toplevel, SwitchMode mode, SwitchOptions options) throws IOException {
        JsonObject.Builder request = request(AgentProtocol.OP_SWITCH).put("toplevel", toplevel).put("mode", mode.cliName())
                .put("confirmTimeoutSeconds", options.confirmTimeout().toMillis() / 1000.0);
        options.deploymentId().ifPresent(id -> request.put("deploymentId", id));
        if (!options.secrets().isEmpty()) {
            JsonObject.Builder secrets = JsonObject.builder();
            options.secretsBase64().forEach(secrets::put);
            request.put("secrets", secrets.build());
        }
        return call(request, r -> AgentJson.switchResult(r.asObject()));
    }

    /**
     * Confirms a switch over a <em>new</em> SSH connection (opened and closed here). Throws
     * {@link AgentException} with {@link Kind#ROLLED_BACK} when the agent already rolled it back.
     */
    public ConfirmResult confirm(String token) throws IOException {
        try (AgentClient fresh = reconnect.open()) {
            return fresh.call(fresh.request(AgentProtocol.OP_CONFIRM).put("token", token), r -> AgentJson.confirmResult(r.asObject()));
        }
    }

    /** {@link #confirm(String)} of {@code result}'s token; a result that needs no confirmation is returned as is. */
    public SwitchResult confirm(SwitchResult result) throws IOException {
        return confirmed(result);
    }

    private SwitchResult confirmed(SwitchResult result) throws IOException {
        if (!result.needsConfirm()) {
            return result;
        }
        try {
            ConfirmResult confirmed = confirm(result.confirmToken().orElseThrow());
            return result.withoutConfirm(false, result.message().replaceFirst("; confirm within .*$", "") + "; " + confirmed.message());
        } catch (AgentException e) {
            if (e.kind() == Kind.ROLLED_BACK) {
                return result.withoutConfirm(true, e.getMessage());
            }
            throw e;
        } catch (IOException e) {
            throw new IOException("switched, but the confirmation over a new connection failed (" + e.getMessage()
                    + "); the agent rolls back by itself at " + result.confirmDeadline().orElseThrow(), e);
        }
    }

    /**
     * Runs the health checks of the system active on the host now and returns their verdicts;
     * changes nothing (no activation, no rollback). Works while a switch awaits its confirmation,
     * so a health gate can run {@code switchTo(top, SWITCH, options)}, {@code check()}, then
     * {@link #confirm(String)}. {@link AgentException} ({@link Kind#BAD_REQUEST}) when no system is active.
     */
    public CheckReport check() throws IOException {
        return call(request(AgentProtocol.OP_CHECK), r -> AgentJson.checkReport(r.asObject()));
    }

    /** Managed /etc entries changed by hand since activation. */
    public List<DriftEntry> drift() throws IOException {
        return call(request(AgentProtocol.OP_DRIFT), r -> AgentJson.drift(r.asArray()));
    }

    /** Every generation with its closure size and deployment. */
    public List<GenerationInfo> generationsWithSizes() throws IOException {
        return call(request(AgentProtocol.OP_GENERATIONS).put("sizes", true), r -> AgentJson.generations(r.asArray()));
    }

    /**
     * Deletes old generations (all but the {@code keep} newest, and/or those older than
     * {@code olderThan}; never the current or active one), then optionally collects garbage.
     */
    public GenerationsDeleted deleteGenerations(OptionalInt keep, Optional<Duration> olderThan, boolean gc) throws IOException {
        JsonObject.Builder request = request(AgentProtocol.OP_DELETE_GENERATIONS).put("gc", gc);
        keep.ifPresent(k -> request.put("keep", k));
        olderThan.ifPresent(d -> request.put("olderThanSeconds", d.toSeconds()));
        return call(request, r -> {
            JsonObject result = r.asObject();
            List<Integer> deleted = new java.util.ArrayList<>();
            for (JsonValue n : result.array("deleted")) {
                if (!(n instanceof JsonValue.JsonNumber number)) {
                    throw new JsonException("deleted: expected generation numbers, got " + n);
                }
                deleted.add(number.intValue());
            }
            return new GenerationsDeleted(deleted, result.optString("gc"));
        });
    }

    public AgentStatus status() throws IOException {
        return call(request(AgentProtocol.OP_STATUS), r -> AgentJson.agentStatus(r.asObject()));
    }

    public List<GenerationInfo> generations() throws IOException {
        return call(request(AgentProtocol.OP_GENERATIONS), r -> AgentJson.generations(r.asArray()));
    }

    /** Rolls back to {@code generation}, or to the one before the current when empty. */
    public SwitchResult rollback(OptionalInt generation) throws IOException {
        JsonObject.Builder request = request(AgentProtocol.OP_ROLLBACK);
        generation.ifPresent(g -> request.put("generation", g));
        return call(request, r -> AgentJson.switchResult(r.asObject()));
    }

    /** Something that talks a protocol over a subsystem channel's streams. */
    @FunctionalInterface
    public interface ChannelConversation<T> {
        T talk(InputStream fromServer, OutputStream toServer) throws IOException;
    }

    /**
     * Opens a channel on {@code subsystem}, runs {@code conversation}, then sends EOF and waits for
     * the server to close the channel; fails if the server reports a non-zero exit status.
     */
    public <T> T onSubsystem(String subsystem, ChannelConversation<T> conversation) throws IOException {
        try (ChannelSubsystem channel = session.createSubsystemChannel(subsystem)) {
            channel.open().verify(timeout);
            T result = conversation.talk(channel.getInvertedOut(), channel.getInvertedIn());
            channel.getInvertedIn().close();
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS), timeout);
            Integer status = channel.getExitStatus();
            if (status != null && status != 0) {
                throw new IOException("subsystem " + subsystem + " on " + target + " failed with exit status " + status);
            }
            return result;
        }
    }

    private JsonObject.Builder request(String op) {
        return JsonObject.builder().put("v", AgentProtocol.VERSION).put("op", op);
    }

    /** Sends {@code request} (with the next id) and reads the answer's result with {@code read}. */
    private synchronized <T> T call(JsonObject.Builder request, Function<JsonValue, T> read) throws IOException {
        long id = nextId++;
        JsonObject message = request.put("id", id).build();
        String op = message.string("op");
        ChannelSubsystem channel = agentChannel();
        Frames.write(channel.getInvertedIn(), message);
        JsonValue answer = Frames.read(channel.getInvertedOut()).orElseThrow(() -> new IOException(
                "agent at " + target + " closed the connection without answering " + op));
        try {
            JsonObject response = answer.asObject();
            JsonValue answered = response.get("id").orElse(JsonValue.NULL);
            if (!(answered instanceof JsonValue.JsonNumber n && n.isLong() && n.longValue() == id)) {
                throw new IOException("agent at " + target + " answered request " + answered + ", expected " + id);
            }
            if (!response.bool("ok", false)) {
                JsonObject error = response.optObject("error").orElse(JsonObject.EMPTY);
                throw new AgentException(kind(error.string("code", "")), "agent at " + target + ": " + error.string("message", ""));
            }
            return read.apply(response.get("result").orElse(JsonValue.NULL));
        } catch (JsonException | IllegalArgumentException | DateTimeParseException e) {
            throw new IOException("agent at " + target + " sent an answer to " + op + " that this client cannot read: "
                    + e.getMessage(), e);
        }
    }

    private ChannelSubsystem agentChannel() throws IOException {
        if (agentChannel == null || !agentChannel.isOpen()) {
            ChannelSubsystem channel = session.createSubsystemChannel(AgentProtocol.SUBSYSTEM);
            channel.open().verify(timeout);
            agentChannel = channel;
        }
        return agentChannel;
    }

    private static Kind kind(String code) {
        try {
            return Kind.valueOf(code);
        } catch (IllegalArgumentException e) {
            return Kind.PROTOCOL;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (agentChannel != null) {
                agentChannel.close(false);
            }
        } finally {
            session.close(false);
        }
    }
}
