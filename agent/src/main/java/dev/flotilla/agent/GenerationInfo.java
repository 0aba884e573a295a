package dev.flotilla.agent;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One generation of the system profile, as reported to clients.
 *
 * @param number       generation number (≥ 1)
 * @param storePath    its toplevel (absolute logical store path)
 * @param created      the link's mtime
 * @param isDefault    whether the profile points to it (what the next start activates)
 * @param closureSize  the NAR size of the toplevel's closure in bytes, or -1 when unknown
 * @param deploymentId the deployment that made it, if known
 */
public record GenerationInfo(int number, String storePath, Instant created, boolean isDefault, long closureSize,
                             Optional<String> deploymentId) {
    public GenerationInfo {
        Objects.requireNonNull(storePath, "storePath");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(deploymentId, "deploymentId");
    }

    public GenerationInfo(int number, String storePath, Instant created, boolean isDefault) {
        this(number, storePath, created, isDefault, -1, Optional.empty());
    }
}
