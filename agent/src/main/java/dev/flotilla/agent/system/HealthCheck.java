package dev.flotilla.agent.system;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** A health check from a system's manifest. */
public sealed interface HealthCheck {

    String name();

    Policy policy();

    /**
     * When and how often to try.
     *
     * @param timeout  limit for one attempt
     * @param attempts how many attempts before the check counts as failed (the manifest's {@code retries})
     * @param interval pause between attempts
     */
    record Policy(Duration timeout, int attempts, Duration interval) {
        public static final Policy DEFAULT = new Policy(Duration.ofSeconds(10), 3, Duration.ofSeconds(1));

        public Policy {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeoutSeconds must be positive");
            }
            if (attempts < 1) {
                throw new IllegalArgumentException("retries must be at least 1");
            }
            if (interval.isNegative()) {
                throw new IllegalArgumentException("intervalSeconds must not be negative");
            }
        }
    }

    /** Runs {@code /bin/sh -c command} in R with FLOTILLA_ROOT and FLOTILLA_SYSTEM set; exit 0 is healthy. */
    record Command(String name, String command, Policy policy) implements HealthCheck {
        public Command {
            Objects.requireNonNull(name);
            if (command == null || command.isBlank()) {
                throw new IllegalArgumentException("command must not be empty");
            }
        }
    }

    /** GETs {@code url}; healthy if the status is {@code expectStatus} and the body contains {@code expectBody}. */
    record Http(String name, URI url, int expectStatus, Optional<String> expectBody, Policy policy)
            implements HealthCheck {
        public Http {
            Objects.requireNonNull(name);
            String scheme = url.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
                throw new IllegalArgumentException("url must be http or https: " + url);
            }
            if (expectStatus < 100 || expectStatus > 599) {
                throw new IllegalArgumentException("expectStatus must be an HTTP status, got " + expectStatus);
            }
        }
    }

    /** Healthy if a TCP connection to {@code host:port} opens. */
    record Tcp(String name, String host, int port, Policy policy) implements HealthCheck {
        public Tcp {
            Objects.requireNonNull(name);
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be empty");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be in 1..65535, got " + port);
            }
        }
    }
}
