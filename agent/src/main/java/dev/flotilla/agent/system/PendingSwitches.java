package dev.flotilla.agent.system;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.agent.JournalEntry;
import dev.flotilla.agent.profile.Generation;
import dev.flotilla.agent.profile.Profile;
import dev.flotilla.agent.state.AtomicFiles;
import dev.flotilla.agent.state.Journal;
import dev.flotilla.agent.state.PendingSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The bookkeeping of a switch that waits for its confirmation: the {@code pending.json} file, and
 * the two ways such a switch ends (finished, or rolled back). Callers hold the host lock; keeping
 * this apart from {@link SystemSwitcher} keeps the crash-safety rules in one small place.
 */
final class PendingSwitches {
    // The switcher's logger, so log lines keep the name operators already filter on.
    private static final Logger LOG = LoggerFactory.getLogger(SystemSwitcher.class);

    private final Path file;
    private final Profile profile;
    private final SystemActivator activator;
    private final Journal journal;
    private final ConfirmTimer timer;
    private final Clock clock;

    PendingSwitches(Path var, Profile profile, SystemActivator activator, Journal journal, ConfirmTimer timer, Clock clock) {
        this.file = var.resolve("pending.json");
        this.profile = profile;
        this.activator = activator;
        this.journal = journal;
        this.timer = timer;
        this.clock = clock;
    }

    Optional<PendingSwitch> read() {
        try {
            return PendingSwitch.read(file);
        } catch (IOException | RuntimeException e) {
            throw new AgentException(Kind.INTERNAL, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    void write(PendingSwitch p) {
        try {
            p.write(file);
        } catch (IOException e) {
            throw new AgentException(Kind.INTERNAL, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void delete() {
        try {
            AtomicFiles.delete(file);
        } catch (IOException e) {
            throw new AgentException(Kind.INTERNAL, "cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    /** Confirmed or not needing it: the switch is final. */
    void finish(PendingSwitch p, String why) {
        timer.cancel(p.token());
        delete();
        activator.secrets().discard();
        journal.append(entry("confirm", p, why));
    }

    /** Puts back the profile, secrets, /etc and services of before {@code p}; always clears it. */
    String rollBack(PendingSwitch p, String reason) {
        timer.cancel(p.token());
        String outcome;
        int back = p.setsDefault() ? p.fromGeneration() : profile.currentNumber().orElse(0);
        try {
            activator.secrets().restore();
            if (p.setsDefault()) {
                if (p.fromGeneration() > 0) {
                    profile.switchTo(p.fromGeneration());
                } else {
                    profile.clearCurrent();
                }
            }
            Optional<String> target = p.previousActive().or(() -> profile.current().map(Generation::storePath));
            if (target.isPresent()) {
                activator.activate(target.get(), activator.manifest(target.get()), Map.of(), "rollback");
                outcome = "rolled back to " + (p.fromGeneration() > 0 ? "generation " + p.fromGeneration() : target.get());
            } else {
                activator.deactivate();
                outcome = "rolled back to no system (there was none before)";
            }
            activator.secrets().discard();
            LOG.warn("{} ({})", outcome, reason);
        } catch (RuntimeException e) {
            LOG.error("rollback failed: {}", e.getMessage(), e);
            outcome = "ROLLBACK FAILED: " + e.getMessage();
        }
        delete();
        journal.append(new JournalEntry(clock.instant(), "rollback", p.toGeneration(), back, p.toplevel(),
                Optional.of(p.token()), p.deploymentId(), reason + (outcome.startsWith("ROLLBACK FAILED") ? "; " + outcome : "")));
        return outcome;
    }

    JournalEntry entry(String event, PendingSwitch p, String reason) {
        return new JournalEntry(clock.instant(), event, p.fromGeneration(), p.toGeneration(), p.toplevel(),
                Optional.of(p.token()), p.deploymentId(), reason);
    }
}
