package dev.flotilla.agent.sim;

import dev.flotilla.store.StoreDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a fleet simulator starts: {@code hosts} agents named {@code <namePrefix><n>} (n zero-padded to at least three
 * digits), each under {@code dir/<name>/} (physical root {@code root/}, host key {@code ssh_host_ed25519_key}), all
 * authorizing the keys of one file and trusting the same store keys.
 *
 * @param basePort  host n listens on {@code basePort + n - 1}; 0 gives each a free port
 * @param ioWorkers NIO threads shared by all the servers
 */
public record SimulatorConfig(int hosts, Path dir, String listenHost, int basePort, Path authorizedKeys,
                              List<Path> trustedKeys, String namePrefix, StoreDir storeDir, String services, int ioWorkers) {
    /** More would mostly measure the machine's limits on threads and open files. */
    public static final int MAX_HOSTS = 2000;
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*|");

    public SimulatorConfig {
        if (hosts < 1 || hosts > MAX_HOSTS) {
            throw new IllegalArgumentException("--hosts must be 1-" + MAX_HOSTS + ", got " + hosts);
        }
        if (basePort < 0 || basePort > 65535 || basePort > 0 && basePort + hosts - 1 > 65535) {
            throw new IllegalArgumentException("--base-port must be 0 (free ports) or leave room for " + hosts
                    + " ports below 65536, got " + basePort);
        }
        if (!PREFIX.matcher(namePrefix).matches()) {
            throw new IllegalArgumentException("--name-prefix may hold letters, digits, '.' and '-' (not first), got '" + namePrefix + "'");
        }
        if (trustedKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one --trusted-key is needed (the store key the agents accept)");
        }
        if (ioWorkers < 1) {
            throw new IllegalArgumentException("--io-workers must be at least 1, got " + ioWorkers);
        }
        trustedKeys = List.copyOf(trustedKeys);
    }

    /** The name of host {@code n} (1-based). */
    public String name(int n) {
        return namePrefix + String.format("%0" + Math.max(3, String.valueOf(hosts).length()) + "d", n);
    }

    /** The port host {@code n} asks for (0: any free one). */
    public int port(int n) {
        return basePort == 0 ? 0 : basePort + n - 1;
    }
}
