package dev.flotilla.deploy;

import java.time.Duration;

/** How one host's deployment ended. */
public sealed interface HostResult {

    String host();

    Duration elapsed();

    /** Paths and NAR bytes sent to this host (zero when nothing was missing or the copy never ran). */
    Transfer transfer();

    record Transfer(int pathsSent, long bytesSent) {
        public static final Transfer NONE = new Transfer(0, 0);
    }

    /** Now on a new generation that passed its health checks. */
    record Switched(String host, int fromGeneration, int toGeneration, String toplevel, Transfer transfer, Duration elapsed)
            implements HostResult {}

    /** Already on this configuration: no new generation. */
    record Unchanged(String host, int generation, String toplevel, Transfer transfer, Duration elapsed) implements HostResult {}

    /** Switched, failed its checks or activation, and went back to {@code generation}. */
    record RolledBack(String host, int generation, int failedGeneration, String reason, Transfer transfer, Duration elapsed)
            implements HostResult {}

    /** Stopped before or during the switch; {@code stage} says where. The host's generation did not change. */
    record Failed(String host, Stage stage, String reason, Transfer transfer, Duration elapsed) implements HostResult {}

    default boolean succeeded() {
        return this instanceof Switched || this instanceof Unchanged;
    }
}
