package dev.flotilla.deploy.rollout;

import java.util.Locale;

/** What a rollout does to each host; the engine asks the goal rather than testing which one it is. */
public enum Goal {
    /** Copy a newly built system to the host and switch to it. */
    DEPLOY(true),
    /** Return the host to a generation it already has (nothing to copy). */
    ROLLBACK(false);

    private final boolean requiresCopy;

    Goal(boolean requiresCopy) {
        this.requiresCopy = requiresCopy;
    }

    /** Whether the rollout starts with a copy phase that pushes closures to every target. */
    public boolean requiresCopy() {
        return requiresCopy;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
