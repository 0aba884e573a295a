package dev.flotilla.agent.system;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An activation script of a system ({@code "activation":{"<name>":{"script":"…","timeoutSeconds":60,"after":[…]}}}):
 * run by {@code /bin/sh -c} in R at every activation of the system (switch, test, rollback to it,
 * agent start), after /etc and secrets and before services. A non-zero exit or a timeout fails the
 * activation (and so rolls the switch back).
 */
public record ActivationScript(String name, String script, Duration timeout, List<String> after) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]+");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public ActivationScript {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("activation script name must match [A-Za-z0-9_.@-]+, got '" + name + "'");
        }
        if (script == null || script.isBlank()) {
            throw new IllegalArgumentException("script must not be empty");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeoutSeconds must be positive");
        }
        after = List.copyOf(after);
    }
}
