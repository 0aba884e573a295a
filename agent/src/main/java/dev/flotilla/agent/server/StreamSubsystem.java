package dev.flotilla.agent.server;

import dev.flotilla.agent.protocol.StreamService;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One channel's run of a {@link StreamService} on its own worker thread. Exit status 0 when the
 * service returns normally, 1 with the error as message otherwise. {@link #destroy} is safe twice.
 */
final class StreamSubsystem implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSubsystem.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String name;
    private final StreamService service;
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private InputStream in;
    private OutputStream out;
    private ExitCallback exit;
    private Thread worker;

    private final String threadName;

    StreamSubsystem(String name, StreamService service, String threadName) {
        this.name = name;
        this.service = service;
        this.threadName = threadName;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        // the protocols use stdout only
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        String peer = String.valueOf(channel.getSession().getClientAddress());
        String connection = "ssh:" + ProcessHandle.current().pid() + ":" + channel.getSession().getIoSession().getId();
        worker = Thread.ofPlatform().daemon().name(threadName + "-" + THREADS.incrementAndGet()).stackSize(256 * 1024)
                .start(() -> run(peer, connection));
    }

    private void run(String peer, String connection) {
        int status = 0;
        String message = "";
        try {
            service.serve(in, out, connection);
            out.flush();
        } catch (Exception e) {
            status = 1;
            message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!destroyed.get()) {
                LOG.warn("{} from {} failed: {}", name, peer, message);
            }
        }
        if (exit != null && !destroyed.get()) {
            exit.onExit(status, message);
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        if (destroyed.compareAndSet(false, true) && worker != null && worker.isAlive()) {
            worker.interrupt();
        }
    }
}
