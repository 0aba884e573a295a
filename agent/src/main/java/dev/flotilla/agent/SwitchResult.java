package dev.flotilla.agent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a switch or rollback did.
 *
 * @param fromGeneration the default generation before (0 = none)
 * @param toGeneration   the default generation after, or for {@code test}/{@code dry-activate} the
 *                       generation that already holds the toplevel (0 = none). After a rollback
 *                       caused by failed checks this is the generation that was tried.
 * @param changed        whether the system changed (false for an unchanged redeploy; for
 *                       dry-activate: whether it would change)
 * @param healthy        whether every health check passed (true when none ran)
 * @param rolledBack     whether the agent rolled back because activation or a check failed
 * @param checks         every check's verdict, in manifest order
 * @param message        one line for people: what happened, or why it rolled back
 * @param confirmToken   present when the agent now waits for {@code confirm(token)} over a new
 *                       connection and rolls back by itself at {@code confirmDeadline} otherwise
 * @param confirmDeadline when the agent rolls back unless confirmed (agent clock)
 */
public record SwitchResult(int fromGeneration, int toGeneration, boolean changed, boolean healthy,
                           boolean rolledBack, List<CheckResult> checks, String message,
                           Optional<String> confirmToken, Optional<Instant> confirmDeadline) {
    public SwitchResult {
        checks = List.copyOf(checks);
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(confirmToken, "confirmToken");
        Objects.requireNonNull(confirmDeadline, "confirmDeadline");
    }

    /** A result that needs no confirmation. */
    public SwitchResult(int fromGeneration, int toGeneration, boolean changed, boolean healthy,
                        boolean rolledBack, List<CheckResult> checks, String message) {
        this(fromGeneration, toGeneration, changed, healthy, rolledBack, checks, message, Optional.empty(), Optional.empty());
    }

    /** The first failing check, if any. */
    public Optional<CheckResult> firstFailure() {
        return checks.stream().filter(c -> !c.healthy()).findFirst();
    }

    /** Whether the agent waits for a confirmation. */
    public boolean needsConfirm() {
        return confirmToken.isPresent();
    }

    /** The same result with the confirmation wait removed and the message replaced. */
    public SwitchResult withoutConfirm(boolean rolledBack, String message) {
        return new SwitchResult(fromGeneration, toGeneration, changed && !rolledBack, healthy && !rolledBack, rolledBack,
                checks, message, Optional.empty(), Optional.empty());
    }
}
