package dev.flotilla.deploy.rollout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One open agent connection per host for a run, reused from the copy phase to the switch and the checks. */
final class Connections implements AutoCloseable {

    private final HostAgent.Connector connector;
    private final Map<String, HostAgent> open = new ConcurrentHashMap<>();

    Connections(HostAgent.Connector connector) {
        this.connector = connector;
    }

    /** The host's connection, opened on first use; one thread works on a host at a time. */
    HostAgent get(HostRecord host) throws IOException {
        HostAgent a = open.get(host.name());
        if (a == null) {
            a = connector.connect(host);
            open.put(host.name(), a);
        }
        return a;
    }

    /** Forgets a connection that failed, so the next use reconnects. */
    void drop(String host) {
        HostAgent a = open.remove(host);
        if (a != null) {
            try {
                a.close();
            } catch (IOException | RuntimeException e) {
                // It is broken already.
            }
        }
    }

    @Override
    public void close() {
        List<String> names = new ArrayList<>(open.keySet());
        names.forEach(this::drop);
    }
}
