package dev.flotilla.agent.server;

import org.apache.sshd.common.Factory;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoConnector;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.IoServiceFactoryFactory;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.util.closeable.AbstractCloseable;
import org.apache.sshd.common.util.threads.CloseableExecutorService;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that many agent servers in one process share (the fleet simulator): one pool of MINA NIO workers
 * behind every server's acceptor, one MINA timer, and one scheduler for the agents' confirmation deadlines.
 * Without it each server would own {@code workers + 2} threads whether its host is busy or not.
 *
 * <p>Sharing is sound because nothing in them belongs to a host: an acceptor is still created per server with that
 * server's own session handler (keys, authenticator, subsystems), and the I/O service only reads socket and buffer
 * settings, which are the same for every server. Stopping a server leaves the shared threads running; {@link #close}
 * stops them once every server is closed.
 */
public final class SharedServerThreads implements AutoCloseable {
    private final IoServiceFactory io;
    private final ScheduledExecutorService minaTimer;
    private final ScheduledThreadPoolExecutor confirmScheduler;

    private SharedServerThreads(IoServiceFactory io, ScheduledExecutorService minaTimer, ScheduledThreadPoolExecutor confirmScheduler) {
        this.io = io;
        this.minaTimer = minaTimer;
        this.confirmScheduler = confirmScheduler;
    }

    /** {@code ioWorkers} NIO threads for all servers together. */
    public static SharedServerThreads create(int ioWorkers) {
        if (ioWorkers < 1) {
            throw new IllegalArgumentException("ioWorkers must be at least 1, got " + ioWorkers);
        }
        // Never started: it only carries the settings the shared I/O service reads (the worker count among them).
        SshServer settings = SshServer.setUpDefaultServer();
        CoreModuleProperties.NIO_WORKERS.set(settings, ioWorkers);
        IoServiceFactory io = new Nio2ServiceFactoryFactory().create(settings);
        return new SharedServerThreads(io, daemonScheduler("flotilla-sshd-timer"), daemonScheduler("flotilla-confirm-deadlines"));
    }

    private static ScheduledThreadPoolExecutor daemonScheduler(String name) {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name(name + "-" + n.incrementAndGet()).unstarted(r));
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    /** Fires the confirmation deadlines of every agent sharing these threads (the rollbacks run on virtual threads). */
    public ScheduledExecutorService confirmScheduler() {
        return confirmScheduler;
    }

    /** Makes {@code sshd} use the shared I/O workers and timer instead of its own. */
    void applyTo(SshServer sshd) {
        sshd.setIoServiceFactoryFactory(new IoServiceFactoryFactory() {
            @Override
            public IoServiceFactory create(FactoryManager manager) {
                return new Borrowed(io);
            }

            @Override
            public void setExecutorServiceFactory(Factory<CloseableExecutorService> factory) {
                throw new UnsupportedOperationException("the shared I/O service has its executor already");
            }
        });
        sshd.setScheduledExecutorService(minaTimer, false);
    }

    @Override
    public void close() {
        io.close(true);
        minaTimer.shutdownNow();
        confirmScheduler.shutdownNow();
    }

    /** A server's handle on the shared I/O service: closing it (when the server stops) leaves the service running. */
    private static final class Borrowed extends AbstractCloseable implements IoServiceFactory {
        private final IoServiceFactory shared;

        Borrowed(IoServiceFactory shared) {
            this.shared = shared;
        }

        @Override
        public IoConnector createConnector(IoHandler handler) {
            return shared.createConnector(handler);
        }

        @Override
        public IoAcceptor createAcceptor(IoHandler handler) {
            return shared.createAcceptor(handler);
        }

        @Override
        public IoServiceEventListener getIoServiceEventListener() {
            return shared.getIoServiceEventListener();
        }

        @Override
        public void setIoServiceEventListener(IoServiceEventListener listener) {
            // one server must not install its listener on everybody's service; ours have none
        }
    }
}
