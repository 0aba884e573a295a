package dev.flotilla.agent;

import java.util.Objects;

/**
 * A confirmation the agent accepted: the switch it confirmed stays.
 *
 * @param token      the token from the {@link SwitchResult}
 * @param generation the default generation now (for {@code test}: the generation holding the system, or 0)
 * @param toplevel   the system that stays active
 * @param message    one line for people
 */
public record ConfirmResult(String token, int generation, String toplevel, String message) {
    public ConfirmResult {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(toplevel, "toplevel");
        Objects.requireNonNull(message, "message");
    }
}
