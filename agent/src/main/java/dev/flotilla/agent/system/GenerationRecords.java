package dev.flotilla.agent.system;

import dev.flotilla.agent.GenerationInfo;
import dev.flotilla.agent.JournalEntry;
import dev.flotilla.agent.profile.Generation;
import dev.flotilla.agent.profile.Profile;
import dev.flotilla.agent.state.GenerationMeta;
import dev.flotilla.agent.state.Journal;
import dev.flotilla.agent.state.PendingSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the agent knows about the profile's generations beyond the profile itself: which deployment
 * made each, their sizes, and which may be deleted. Split from {@link SystemSwitcher} because none
 * of it activates anything; callers that change generations hold the host lock.
 */
final class GenerationRecords {
    // The switcher's logger, so log lines keep the name operators already filter on.
    private static final Logger LOG = LoggerFactory.getLogger(SystemSwitcher.class);

    private final SystemStore store;
    private final Profile profile;
    private final GenerationMeta meta;
    private final Journal journal;
    private final Clock clock;

    GenerationRecords(SystemStore store, Profile profile, GenerationMeta meta, Journal journal, Clock clock) {
        this.store = store;
        this.profile = profile;
        this.meta = meta;
        this.journal = journal;
        this.clock = clock;
    }

    /** Every generation; with {@code sizes}, each closure's NAR size (reads the store's metadata). */
    List<GenerationInfo> list(boolean sizes) {
        OptionalInt current = profile.currentNumber();
        return profile.generations().stream()
                .map(g -> new GenerationInfo(g.number(), g.storePath(), g.created(),
                        current.isPresent() && current.getAsInt() == g.number(),
                        sizes ? store.closureSize(g.storePath()) : -1, meta.deploymentId(g.number(), g.storePath())))
                .toList();
    }

    /** See {@link SystemSwitcher#deleteGenerations}; {@code active} and {@code pending} are protected. */
    List<Integer> delete(OptionalInt keep, Optional<Duration> olderThan, Optional<String> active, Optional<PendingSwitch> pending) {
        List<Generation> all = profile.generations();
        int current = profile.currentNumber().orElse(0);
        Instant cutoff = olderThan.map(d -> clock.instant().minus(d)).orElse(Instant.MAX);
        int firstKept = keep.isPresent() ? Math.max(0, all.size() - keep.getAsInt()) : all.size();
        List<Integer> deleted = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Generation g = all.get(i);
            boolean protectedOne = g.number() == current || active.equals(Optional.of(g.storePath()))
                    || pending.isPresent() && (pending.get().fromGeneration() == g.number() || pending.get().toGeneration() == g.number());
            boolean byKeep = keep.isEmpty() || i < firstKept;
            boolean byAge = olderThan.isEmpty() || g.created().isBefore(cutoff);
            if (!protectedOne && byKeep && byAge) {
                profile.delete(g.number());
                try {
                    meta.delete(g.number());
                } catch (IOException e) {
                    LOG.warn("cannot delete the record of generation {}: {}", g.number(), e.getMessage());
                }
                deleted.add(g.number());
            }
        }
        if (!deleted.isEmpty()) {
            journal.append(new JournalEntry(clock.instant(), "delete-generations", current, current, "", Optional.empty(),
                    Optional.empty(), "deleted " + deleted));
        }
        return deleted;
    }

    /** Remembers which deployment made {@code generation}; losing that is worth a warning, not a failed switch. */
    void record(int generation, String toplevel, Optional<String> deploymentId) {
        try {
            meta.record(generation, toplevel, deploymentId);
        } catch (IOException e) {
            LOG.warn("cannot record generation {}: {}", generation, e.getMessage());
        }
    }

    /** The newest generation holding {@code toplevel}, or 0. */
    int holding(String toplevel) {
        return profile.generations().reversed().stream().filter(g -> g.storePath().equals(toplevel))
                .mapToInt(Generation::number).findFirst().orElse(0);
    }
}
