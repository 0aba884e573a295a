package dev.flotilla.agent;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A switch that waits for its confirmation.
 *
 * @param mode           {@code switch} or {@code test}
 * @param fromGeneration where a rollback goes (0 = no system)
 * @param toGeneration   the generation being tried (0 for a test of a toplevel no generation holds)
 * @param toplevel       the system being tried
 * @param deadline       when the agent rolls back unless confirmed
 * @param deploymentId   the deployment that switched, if known
 */
public record PendingInfo(String mode, int fromGeneration, int toGeneration, String toplevel, Instant deadline,
                          Optional<String> deploymentId) {
    public PendingInfo {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(toplevel, "toplevel");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(deploymentId, "deploymentId");
    }
}
