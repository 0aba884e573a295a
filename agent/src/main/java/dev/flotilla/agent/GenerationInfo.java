package dev.flotilla.agent;

import java.time.Instant;

/**
 * One generation of the system profile, as reported to clients.
 *
 * @param number    generation number (≥ 1)
 * @param storePath its toplevel (absolute logical store path)
 * @param created   the link's mtime
 * @param isDefault whether the profile points to it (what the next start activates)
 */
public record GenerationInfo(int number, String storePath, Instant created, boolean isDefault) {
}
