package dev.flotilla.agent;

import java.util.Objects;

/**
 * A managed {@code /etc} entry that no longer is what the active system put there.
 *
 * @param name   the etc entry, e.g. {@code app/app.conf} ({@code static} for {@code /etc/static} itself)
 * @param kind   what happened to it
 * @param detail one line for people
 */
public record DriftEntry(String name, Kind kind, String detail) {
    public enum Kind {
        /** Something other than the agent's symlink is there (a hand-edited copy, another link): kept aside at the next switch. */
        REPLACED,
        /** The entry is gone. */
        MISSING,
        /** The store file behind the link was written to (its content no longer matches what was activated). */
        MODIFIED
    }

    public DriftEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
    }
}
