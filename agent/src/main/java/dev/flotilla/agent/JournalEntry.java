package dev.flotilla.agent;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the agent's journal ({@code R/flotilla/var/journal.jsonl}): what changed the host and why.
 *
 * @param time         when
 * @param event        {@code switch}, {@code confirm}, {@code rollback}, {@code delete-generations}, {@code gc}
 * @param fromGeneration default generation before (0 = none)
 * @param toGeneration default generation after (0 = none)
 * @param toplevel     the system concerned
 * @param token        the confirm token of the switch concerned, if any
 * @param deploymentId the deployment that asked, if known
 * @param reason       why (for rollbacks: what failed or what was missing)
 */
public record JournalEntry(Instant time, String event, int fromGeneration, int toGeneration, String toplevel,
                           Optional<String> token, Optional<String> deploymentId, String reason) {
    public JournalEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        toplevel = toplevel == null ? "" : toplevel;
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(deploymentId, "deploymentId");
        reason = reason == null ? "" : reason;
    }
}
