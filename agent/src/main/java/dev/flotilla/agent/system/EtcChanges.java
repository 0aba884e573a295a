package dev.flotilla.agent.system;

import java.util.ArrayList;
import java.util.List;

/**
 * What an etc activation changed (or, for a dry run, would change).
 *
 * @param added   entries new in this system
 * @param changed entries whose content differs from the previous system's
 * @param removed entries the previous system had and this one does not
 * @param backups files found at managed paths that were not the agent's links, moved aside
 */
public record EtcChanges(List<String> added, List<String> changed, List<String> removed, List<Backup> backups) {
    public EtcChanges {
        added = List.copyOf(added);
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
        backups = List.copyOf(backups);
    }

    /**
     * A file that was at a managed path and was not the agent's symlink (a hand edit, a file from
     * before the agent): moved aside, never deleted.
     *
     * @param name       the etc entry name
     * @param backupName where it went, relative to {@code R/etc}
     */
    public record Backup(String name, String backupName) {
    }

    public boolean isEmpty() {
        return added.isEmpty() && changed.isEmpty() && removed.isEmpty() && backups.isEmpty();
    }

    /** One line for logs and results, e.g. {@code etc: +motd ~app/app.conf -old.conf, kept aside: hosts}. */
    public String summary() {
        if (isEmpty()) {
            return "etc: no changes";
        }
        List<String> parts = new ArrayList<>();
        added.forEach(n -> parts.add("+" + n));
        changed.forEach(n -> parts.add("~" + n));
        removed.forEach(n -> parts.add("-" + n));
        String text = "etc: " + String.join(" ", parts);
        if (!backups.isEmpty()) {
            text += (parts.isEmpty() ? "" : ", ") + "kept aside: "
                    + String.join(", ", backups.stream().map(b -> b.name() + " -> " + b.backupName()).toList());
        }
        return text;
    }
}
