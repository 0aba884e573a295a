package dev.flotilla.agent.system;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.agent.AgentStatus;
import dev.flotilla.agent.CheckResult;
import dev.flotilla.agent.GenerationInfo;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.profile.Generation;
import dev.flotilla.agent.profile.Profile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Switches the host to a system toplevel: verify it is in the store, make it a generation, activate,
 * run its health checks, and on any failure go back to what was there before. One switch at a time
 * per host (methods are synchronized; use one switcher per root).
 */
public final class SystemSwitcher {
    /** Reported as {@link AgentStatus#agentVersion()}. */
    public static final String AGENT_VERSION = "flotilla-agent/1";
    private static final Logger LOG = LoggerFactory.getLogger(SystemSwitcher.class);

    private final SystemStore store;
    private final Profile profile;
    private final SystemActivator activator;
    private final HealthCheckRunner checks;

    public SystemSwitcher(SystemStore store, Profile profile, SystemActivator activator, HealthCheckRunner checks) {
        this.store = store;
        this.profile = profile;
        this.activator = activator;
        this.checks = checks;
    }

    /** The usual wiring under physical root {@code root}. */
    public static SystemSwitcher forRoot(Path root, SystemStore store) {
        return new SystemSwitcher(store, Profile.system(root),
                new SystemActivator(root, new EtcActivator(root)), new HealthCheckRunner(root));
    }

    public synchronized SwitchResult switchTo(String toplevel, SwitchMode mode) {
        checkInStore(toplevel);
        Manifest manifest = activator.manifest(toplevel);
        int from = profile.currentNumber().orElse(0);
        return switch (mode) {
            case DRY_ACTIVATE -> dryActivate(toplevel, manifest, from);
            case BOOT -> boot(toplevel, from);
            case TEST -> activateAndCheck(toplevel, manifest, from, generationHolding(toplevel), false);
            case SWITCH -> {
                Optional<Generation> current = profile.current();
                boolean unchanged = current.isPresent() && current.get().storePath().equals(toplevel)
                        && activator.active().equals(Optional.of(toplevel));
                if (unchanged) {
                    yield unchanged(toplevel, manifest, from);
                }
                yield activateAndCheck(toplevel, manifest, from, profile.set(toplevel).number(), true);
            }
        };
    }

    /** Goes back to {@code generation}, or to the one before the current; activates it and runs its checks. */
    public synchronized SwitchResult rollback(OptionalInt generation) {
        int from = profile.currentNumber().orElseThrow(() -> new AgentException(Kind.PROFILE,
                "nothing to roll back: the profile has no generation"));
        Generation target = generation.isPresent() ? profile.switchTo(generation.getAsInt()) : profile.rollback();
        LOG.info("rollback requested: generation {} -> {} ({})", from, target.number(), target.storePath());
        Manifest manifest = activator.manifest(target.storePath());
        EtcChanges changes = activator.activate(target.storePath(), manifest);
        List<CheckResult> results = checks.runAll(manifest, activator.physical(target.storePath()));
        boolean healthy = results.stream().allMatch(CheckResult::healthy);
        String message = "rolled back from generation " + from + " to " + target.number() + "; " + changes.summary()
                + (healthy ? "" : "; but check '" + firstFailure(results).name() + "' fails: " + firstFailure(results).output());
        return new SwitchResult(from, target.number(), true, healthy, true, results, message);
    }

    /** On agent start: activate the profile's default generation (undoing any {@code test} activation). */
    public synchronized Optional<Generation> activateDefault() {
        Optional<Generation> current = profile.current();
        if (current.isEmpty()) {
            LOG.info("no system generation yet; nothing to activate");
            return current;
        }
        Generation g = current.get();
        EtcChanges changes = activator.activate(g.storePath(), activator.manifest(g.storePath()));
        LOG.info("activated generation {} ({}); {}", g.number(), g.storePath(), changes.summary());
        return current;
    }

    public synchronized AgentStatus status() {
        OptionalInt current = profile.currentNumber();
        List<GenerationInfo> generations = profile.generations().stream()
                .map(g -> new GenerationInfo(g.number(), g.storePath(), g.created(),
                        current.isPresent() && current.getAsInt() == g.number()))
                .toList();
        Optional<String> active = activator.active();
        Optional<String> host = active.flatMap(this::hostOf);
        return new AgentStatus(AGENT_VERSION, host, current.orElse(0), active, generations);
    }

    private Optional<String> hostOf(String toplevel) {
        try {
            return Optional.of(activator.manifest(toplevel).host()).filter(h -> !h.isEmpty());
        } catch (AgentException e) {
            return Optional.empty();
        }
    }

    private void checkInStore(String toplevel) {
        String prefix = store.storeDir() + "/";
        if (!toplevel.startsWith(prefix) || toplevel.length() == prefix.length()
                || toplevel.indexOf('/', prefix.length()) >= 0) {
            throw new AgentException(Kind.BAD_REQUEST, "'" + toplevel + "' is not a store path in " + store.storeDir());
        }
        if (!store.isValid(toplevel)) {
            throw new AgentException(Kind.NOT_IN_STORE, toplevel + " is not valid in this host's store; copy its closure first");
        }
    }

    private SwitchResult dryActivate(String toplevel, Manifest manifest, int from) {
        EtcChanges plan = activator.plan(toplevel, manifest);
        boolean changed = !activator.active().equals(Optional.of(toplevel)) || !plan.isEmpty();
        String message = changed ? "would activate " + toplevel + "; " + plan.summary() : "would change nothing";
        return new SwitchResult(from, generationHolding(toplevel), changed, true, false, List.of(), message);
    }

    private SwitchResult boot(String toplevel, int from) {
        Generation g = profile.set(toplevel);
        boolean changed = g.number() != from;
        LOG.info("boot: generation {} ({}) is the default from the next start", g.number(), toplevel);
        return new SwitchResult(from, g.number(), changed, true, false, List.of(),
                "generation " + g.number() + " will be activated on the next agent start");
    }

    private SwitchResult unchanged(String toplevel, Manifest manifest, int from) {
        EtcChanges repaired = activator.activate(toplevel, manifest);
        List<CheckResult> results = checks.runAll(manifest, activator.physical(toplevel));
        boolean healthy = results.stream().allMatch(CheckResult::healthy);
        String message = "unchanged: generation " + from + " is already " + toplevel
                + (repaired.isEmpty() ? "" : "; repaired " + repaired.summary())
                + (healthy ? "" : "; check '" + firstFailure(results).name() + "' fails: " + firstFailure(results).output());
        return new SwitchResult(from, from, !repaired.isEmpty(), healthy, false, results, message);
    }

    private SwitchResult activateAndCheck(String toplevel, Manifest manifest, int from, int to, boolean setDefault) {
        Optional<String> previouslyActive = activator.active();
        String mode = setDefault ? "switch" : "test";
        LOG.info("{}: activating {} (generation {} -> {})", mode, toplevel, from, to);
        EtcChanges changes;
        try {
            changes = activator.activate(toplevel, manifest);
        } catch (RuntimeException e) {
            LOG.warn("{}: activation of {} failed: {}", mode, toplevel, e.getMessage());
            String back = restore(from, previouslyActive, setDefault);
            return new SwitchResult(from, to, false, false, true, List.of(),
                    "activation failed: " + e.getMessage() + "; " + back);
        }
        List<CheckResult> results = checks.runAll(manifest, activator.physical(toplevel));
        Optional<CheckResult> failed = results.stream().filter(c -> !c.healthy()).findFirst();
        if (failed.isEmpty()) {
            LOG.info("{}: {} is active and healthy; {}", mode, toplevel, changes.summary());
            return new SwitchResult(from, to, true, true, false, results,
                    (setDefault ? "switched to generation " + to : "activated (test) " + toplevel) + "; " + changes.summary());
        }
        CheckResult f = failed.get();
        LOG.warn("{}: health check '{}' failed after {} attempt(s): {}", mode, f.name(), f.attempts(), f.output());
        String back = restore(from, previouslyActive, setDefault);
        return new SwitchResult(from, to, false, false, true, results,
                "health check '" + f.name() + "' failed: " + f.output() + "; " + back);
    }

    /** Puts back the previous default generation (if this switch set one) and the previously active system. */
    private String restore(int from, Optional<String> previouslyActive, boolean setDefault) {
        try {
            if (setDefault) {
                if (from > 0) {
                    profile.switchTo(from);
                } else {
                    profile.clearCurrent();
                }
            }
            Optional<String> target = previouslyActive.or(() -> profile.current().map(Generation::storePath));
            if (target.isPresent()) {
                activator.activate(target.get(), activator.manifest(target.get()));
                LOG.warn("rolled back to {}{}", target.get(), from > 0 ? " (generation " + from + ")" : "");
                return "rolled back to " + (from > 0 ? "generation " + from : target.get());
            }
            activator.deactivate();
            LOG.warn("rolled back to no system (there was none before)");
            return "rolled back to no system (there was none before)";
        } catch (RuntimeException e) {
            LOG.error("rollback failed: {}", e.getMessage(), e);
            return "ROLLBACK FAILED: " + e.getMessage();
        }
    }

    private int generationHolding(String toplevel) {
        List<Generation> all = profile.generations();
        return all.reversed().stream().filter(g -> g.storePath().equals(toplevel)).mapToInt(Generation::number)
                .findFirst().orElse(0);
    }

    private static CheckResult firstFailure(List<CheckResult> results) {
        return results.stream().filter(c -> !c.healthy()).findFirst().orElseThrow();
    }
}
