package dev.flotilla.agent.system;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentException.Kind;
import dev.flotilla.agent.AgentStatus;
import dev.flotilla.agent.CheckReport;
import dev.flotilla.agent.CheckResult;
import dev.flotilla.agent.ConfirmResult;
import dev.flotilla.agent.DriftEntry;
import dev.flotilla.agent.GenerationInfo;
import dev.flotilla.agent.JournalEntry;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchOptions;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.profile.Generation;
import dev.flotilla.agent.profile.Profile;
import dev.flotilla.agent.state.GenerationMeta;
import dev.flotilla.agent.state.HostLock;
import dev.flotilla.agent.state.Journal;
import dev.flotilla.agent.state.PendingSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Switches the host to a system toplevel: verify it is in the store, make it a generation, activate,
 * run its health checks, and on any failure go back to what was there before. A {@code switch} or
 * {@code test} that changed the system then waits for a confirmation over a new connection
 * ({@link #confirm}); without one by the deadline, the agent rolls back by itself (magic rollback).
 *
 * <p>Crash safety: the pending switch is written to {@code R/flotilla/var/pending.json} before
 * anything changes; whoever finds it after its owner died rolls it back ({@link #recover}). A
 * confirmation deletes it durably before it is acknowledged, and the rollback timer re-reads it
 * under the host lock, so a confirmed switch is never rolled back.
 */
public final class SystemSwitcher implements AutoCloseable {
    /** Reported as {@link AgentStatus#agentVersion()}. */
    public static final String AGENT_VERSION = "flotilla-agent/1";
    private static final Logger LOG = LoggerFactory.getLogger(SystemSwitcher.class);
    /** The connection id used by in-process callers (tests, the local CLI). */
    public static final String LOCAL = "local";

    private final SystemStore store;
    private final Profile profile;
    private final SystemActivator activator;
    private final HealthCheckRunner checks;
    private final HostLock lock;
    private final Journal journal;
    private final Clock clock;
    private final ConfirmTimer timer;
    private final PendingSwitches pendingSwitches;
    private final GenerationRecords generations;

    public SystemSwitcher(SystemStore store, Profile profile, SystemActivator activator, HealthCheckRunner checks, Path root) {
        this(store, profile, activator, checks, root, Optional.empty());
    }

    /**
     * @param confirmScheduler fires the magic-rollback deadlines when given (shared by the agents of a simulated
     *                         fleet); otherwise this switcher starts a timer thread of its own on first use
     */
    public SystemSwitcher(SystemStore store, Profile profile, SystemActivator activator, HealthCheckRunner checks, Path root,
                          Optional<ScheduledExecutorService> confirmScheduler) {
        this.timer = new ConfirmTimer(confirmScheduler);
        this.store = store;
        this.profile = profile;
        this.activator = activator;
        this.checks = checks;
        Path var = root.toAbsolutePath().normalize().resolve("flotilla/var");
        this.lock = HostLock.of(var);
        this.journal = new Journal(var.resolve("journal.jsonl"));
        this.clock = Clock.systemUTC();
        this.pendingSwitches = new PendingSwitches(var, profile, activator, journal, timer, clock);
        this.generations = new GenerationRecords(store, profile, new GenerationMeta(var.resolve("generations")), journal, clock);
    }

    /** The usual wiring under physical root {@code root}. */
    public static SystemSwitcher forRoot(Path root, SystemStore store) {
        return forRoot(root, store, new SystemActivator(root, new EtcActivator(root)));
    }

    public static SystemSwitcher forRoot(Path root, SystemStore store, SystemActivator activator) {
        return forRoot(root, store, activator, Optional.empty());
    }

    public static SystemSwitcher forRoot(Path root, SystemStore store, SystemActivator activator,
                                         Optional<ScheduledExecutorService> confirmScheduler) {
        return new SystemSwitcher(store, Profile.system(root), activator, new HealthCheckRunner(root), root, confirmScheduler);
    }

    public SystemActivator activator() {
        return activator;
    }

    public Journal journal() {
        return journal;
    }

    /** As {@link #switchTo(String, SwitchMode, SwitchOptions, String)} with no magic rollback (confirmed at once). */
    public SwitchResult switchTo(String toplevel, SwitchMode mode) {
        return switchTo(toplevel, mode, SwitchOptions.defaults().withConfirmTimeout(Duration.ZERO), LOCAL);
    }

    /**
     * Switches; {@code connection} identifies the connection the request came over (a confirmation
     * must come over another one).
     */
    public SwitchResult switchTo(String toplevel, SwitchMode mode, SwitchOptions options, String connection) {
        try (var held = lock.acquire()) {
            checkInStore(toplevel);
            Manifest manifest = activator.manifest(toplevel);
            if (mode.activatesNow()) {
                settlePending();
            }
            int from = profile.currentNumber().orElse(0);
            return switch (mode) {
                case DRY_ACTIVATE -> dryActivate(toplevel, manifest, from);
                case BOOT -> boot(toplevel, from, options);
                case TEST -> activateAndCheck(toplevel, manifest, from, mode, options, connection);
                case SWITCH -> {
                    Optional<Generation> current = profile.current();
                    boolean unchanged = current.isPresent() && current.get().storePath().equals(toplevel)
                            && activator.active().equals(Optional.of(toplevel));
                    yield unchanged ? unchanged(toplevel, manifest, from, options)
                            : activateAndCheck(toplevel, manifest, from, mode, options, connection);
                }
            };
        }
    }

    /** A pending switch of a dead owner is rolled back now; one of a live owner makes this request wait its turn. */
    private void settlePending() {
        Optional<PendingSwitch> pending = pendingSwitches.read();
        if (pending.isEmpty()) {
            activator.secrets().discard();  // copies left by a crash after a confirmation
            return;
        }
        PendingSwitch p = pending.get();
        if (p.ownedByThisProcess() && timer.isScheduled(p.token()) || !p.ownedByThisProcess() && p.ownerAlive()) {
            throw new AgentException(Kind.BUSY, "generation " + p.toGeneration() + " (" + p.toplevel()
                    + ") waits for its confirmation until " + p.deadline() + "; confirm or roll it back first");
        }
        pendingSwitches.rollBack(p, "the agent stopped before the switch was confirmed");
    }

    private SwitchResult activateAndCheck(String toplevel, Manifest manifest, int from, SwitchMode mode,
                                          SwitchOptions options, String connection) {
        boolean setDefault = mode == SwitchMode.SWITCH;
        Optional<String> previouslyActive = activator.active();
        String token = UUID.randomUUID().toString();
        Duration wait = options.confirmTimeout();
        PendingSwitch pending = new PendingSwitch(token, mode.cliName(), from, setDefault ? 0 : generations.holding(toplevel),
                toplevel, previouslyActive, setDefault, clock.instant().plus(wait).plus(Duration.ofHours(1)),
                options.deploymentId(), connection, ProcessHandle.current().pid(), PendingSwitch.currentProcessStart());
        pendingSwitches.write(pending);  // before anything changes: a crash from here on is rolled back at the next start
        int to = pending.toGeneration();
        if (setDefault) {
            to = profile.set(toplevel).number();
            pending = pending.withDeadline(pending.deadline(), to);
            generations.record(to, toplevel, options.deploymentId());
        }
        LOG.info("{}: activating {} (generation {} -> {})", mode.cliName(), toplevel, from, to);
        SystemActivator.Report report;
        try {
            report = activator.activate(toplevel, manifest, options.secrets(), mode.cliName());
        } catch (RuntimeException e) {
            LOG.warn("{}: activation of {} failed: {}", mode.cliName(), toplevel, e.getMessage());
            String back = pendingSwitches.rollBack(pending, "activation failed: " + e.getMessage());
            return new SwitchResult(from, to, false, false, true, List.of(), "activation failed: " + e.getMessage() + "; " + back);
        }
        List<CheckResult> results = checks.runAll(manifest, activator.physical(toplevel));
        Optional<CheckResult> failed = results.stream().filter(c -> !c.healthy()).findFirst();
        if (failed.isPresent()) {
            CheckResult f = failed.get();
            LOG.warn("{}: health check '{}' failed after {} attempt(s): {}", mode.cliName(), f.name(), f.attempts(), f.output());
            String why = "health check '" + f.name() + "' failed: " + f.output();
            return new SwitchResult(from, to, false, false, true, results, why + "; " + pendingSwitches.rollBack(pending, why));
        }
        String done = (setDefault ? "switched to generation " + to : "activated (test) " + toplevel) + "; " + report.summary();
        if (wait.isZero()) {
            pendingSwitches.finish(pending, "confirmed at once (no confirm timeout)");
            LOG.info("{}: {} is active and healthy; {}", mode.cliName(), toplevel, report.summary());
            return new SwitchResult(from, to, true, true, false, results, done);
        }
        Instant deadline = clock.instant().plus(wait);
        pending = pending.withDeadline(deadline, to);
        pendingSwitches.write(pending);
        timer.schedule(token, deadline, this::expire);
        journal.append(pendingSwitches.entry("switch", pending, "awaiting confirmation until " + deadline));
        LOG.info("{}: {} is active and healthy; waiting for confirmation until {}", mode.cliName(), toplevel, deadline);
        return new SwitchResult(from, to, true, true, false, results,
                done + "; confirm within " + wait.toSeconds() + " s or it rolls back", Optional.of(token), Optional.of(deadline));
    }

    /**
     * Confirms the switch that returned {@code token}. Throws {@link Kind#ROLLED_BACK} if it was
     * rolled back (too late, or its checks failed), {@link Kind#BAD_REQUEST} for an unknown token or a
     * confirmation over the switch's own connection. Confirming twice is harmless.
     */
    public ConfirmResult confirm(String token, String connection) {
        try (var held = lock.acquire()) {
            Optional<PendingSwitch> pending = pendingSwitches.read();
            if (pending.isPresent() && pending.get().token().equals(token)) {
                PendingSwitch p = pending.get();
                if (p.connection().equals(connection) && !connection.equals(LOCAL)) {
                    throw new AgentException(Kind.BAD_REQUEST, "confirm over a new connection: this one made the switch,"
                            + " and only a new one proves the host is still reachable");
                }
                if (!clock.instant().isBefore(p.deadline())) {
                    String why = "no confirmation before " + p.deadline();
                    pendingSwitches.rollBack(p, why);
                    throw new AgentException(Kind.ROLLED_BACK, "too late: rolled back to generation " + p.fromGeneration() + " (" + why + ")");
                }
                pendingSwitches.finish(p, "confirmed");
                LOG.info("confirmed: {} stays ({})", p.toplevel(), p.mode());
                return new ConfirmResult(token, p.setsDefault() ? p.toGeneration() : profile.currentNumber().orElse(0), p.toplevel(),
                        "confirmed generation " + p.toGeneration() + " (" + p.toplevel() + ")");
            }
            Optional<JournalEntry> last = journal.lastFor(token, "confirm", "rollback");
            if (last.isPresent() && last.get().event().equals("confirm")) {
                return new ConfirmResult(token, last.get().toGeneration(), last.get().toplevel(), "already confirmed");
            }
            if (last.isPresent()) {
                throw new AgentException(Kind.ROLLED_BACK, "the switch to " + last.get().toplevel() + " was rolled back to generation "
                        + last.get().toGeneration() + " at " + last.get().time() + ": " + last.get().reason());
            }
            throw new AgentException(Kind.BAD_REQUEST, "no switch waits for confirmation with token " + token);
        }
    }

    /** The rollback timer: at the deadline, unless confirmed meanwhile. */
    private void expire(String token) {
        try (var held = lock.acquire()) {
            Optional<PendingSwitch> pending = pendingSwitches.read();
            if (pending.isPresent() && pending.get().token().equals(token)) {
                PendingSwitch p = pending.get();
                LOG.warn("no confirmation for {} by {}: rolling back (magic rollback)", p.toplevel(), p.deadline());
                pendingSwitches.rollBack(p, "no confirmation before " + p.deadline() + " (magic rollback)");
            }
        } catch (RuntimeException e) {
            LOG.error("magic rollback failed: {}", e.getMessage(), e);
        }
    }

    /**
     * At agent start: rolls back a switch whose owner died before it was confirmed. Returns the
     * journal entry of that rollback, if there was one.
     */
    public Optional<JournalEntry> recover() {
        try (var held = lock.acquire()) {
            Optional<PendingSwitch> pending = pendingSwitches.read();
            if (pending.isEmpty() || pending.get().ownerAlive() && !pending.get().ownedByThisProcess()) {
                if (pending.isEmpty()) {
                    activator.secrets().discard();
                }
                return Optional.empty();
            }
            pendingSwitches.rollBack(pending.get(), "the agent stopped before the switch was confirmed");
            return journal.lastFor(pending.get().token(), "rollback");
        }
    }

    /** Waits until no switch of this process waits for confirmation (for {@code serve --stdio}). */
    public void awaitPendingResolution() throws InterruptedException {
        timer.awaitIdle();
    }

    /** Goes back to {@code generation}, or to the one before the current; activates it and runs its checks. */
    public SwitchResult rollback(OptionalInt generation) {
        try (var held = lock.acquire()) {
            Optional<PendingSwitch> pending = pendingSwitches.read();
            if (pending.isPresent() && generation.isEmpty()) {
                PendingSwitch p = pending.get();
                String outcome = pendingSwitches.rollBack(p, "rollback requested before the switch was confirmed");
                int now = profile.currentNumber().orElse(0);
                return new SwitchResult(p.toGeneration(), now, true, !outcome.startsWith("ROLLBACK FAILED"), true, List.of(), outcome);
            }
            pending.ifPresent(p -> pendingSwitches.rollBack(p, "rollback to generation " + generation.getAsInt() + " requested"));
            int from = profile.currentNumber().orElseThrow(() -> new AgentException(Kind.PROFILE,
                    "nothing to roll back: the profile has no generation"));
            Generation target = generation.isPresent() ? profile.switchTo(generation.getAsInt()) : profile.rollback();
            LOG.info("rollback requested: generation {} -> {} ({})", from, target.number(), target.storePath());
            Manifest manifest = activator.manifest(target.storePath());
            SystemActivator.Report report = activator.activate(target.storePath(), manifest, Map.of(), "rollback");
            activator.secrets().discard();
            journal.append(new JournalEntry(clock.instant(), "rollback", from, target.number(), target.storePath(),
                    Optional.empty(), Optional.empty(), "requested"));
            List<CheckResult> results = checks.runAll(manifest, activator.physical(target.storePath()));
            boolean healthy = results.stream().allMatch(CheckResult::healthy);
            String message = "rolled back from generation " + from + " to " + target.number() + "; " + report.summary()
                    + (healthy ? "" : "; but check '" + firstFailure(results).name() + "' fails: " + firstFailure(results).output());
            return new SwitchResult(from, target.number(), true, healthy, true, results, message);
        }
    }

    /** On agent start: activate the profile's default generation (undoing any {@code test} activation). */
    public Optional<Generation> activateDefault() {
        try (var held = lock.acquire()) {
            Optional<Generation> current = profile.current();
            if (current.isEmpty()) {
                LOG.info("no system generation yet; nothing to activate");
                return current;
            }
            Generation g = current.get();
            SystemActivator.Report report = activator.activate(g.storePath(), activator.manifest(g.storePath()), Map.of(), "start");
            LOG.info("activated generation {} ({}); {}", g.number(), g.storePath(), report.summary());
            return current;
        }
    }

    /**
     * Runs the health checks of the system active now and reports them; changes nothing (no
     * activation, no rollback, no journal entry). Like {@link #status()} it does not take the host
     * lock, so it never delays a confirmation or a magic rollback; checks run while another request
     * switches see whatever is active at that moment.
     */
    public CheckReport check() {
        String toplevel = activator.active().orElseThrow(() -> new AgentException(Kind.BAD_REQUEST,
                "check: no system is active on this host yet"));
        Manifest manifest = activator.manifest(toplevel);
        return CheckReport.of(toplevel, generations.holding(toplevel), checks.runAll(manifest, activator.physical(toplevel)));
    }

    public AgentStatus status() {
        OptionalInt current = profile.currentNumber();
        Optional<String> active = activator.active();
        Optional<String> host = active.flatMap(this::hostOf);
        List<DriftEntry> drift = activator.drift();
        return new AgentStatus(AGENT_VERSION, host, current.orElse(0), active, generations(false),
                pendingSwitches.read().map(PendingSwitch::info), journal.tail(10), drift, activator.serviceStatus());
    }

    /** Every generation; with {@code sizes}, each closure's NAR size (reads the store's metadata). */
    public List<GenerationInfo> generations(boolean sizes) {
        return generations.list(sizes);
    }

    public List<DriftEntry> drift() {
        return activator.drift();
    }

    /**
     * Deletes old generations: all but the {@code keep} newest (when given) that are also older than
     * {@code olderThan} (when given); never the default one, the active one or one awaiting
     * confirmation. Returns the numbers deleted.
     */
    public List<Integer> deleteGenerations(OptionalInt keep, Optional<Duration> olderThan) {
        if (keep.isEmpty() && olderThan.isEmpty()) {
            throw new AgentException(Kind.BAD_REQUEST, "say which generations to delete: --keep N and/or --older-than AGE");
        }
        try (var held = lock.acquire()) {
            return generations.delete(keep, olderThan, activator.active(), pendingSwitches.read());
        }
    }

    /** Collects garbage in the host's store (when the store supports it) under the host lock. */
    public Optional<String> collectGarbage() {
        try (var held = lock.acquire()) {
            Optional<String> result = store.collectGarbage();
            result.ifPresent(r -> journal.append(new JournalEntry(clock.instant(), "gc", 0, 0, "", Optional.empty(),
                    Optional.empty(), r)));
            return result;
        }
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
        SystemActivator.Report plan = activator.plan(toplevel, manifest);
        boolean changed = !activator.active().equals(Optional.of(toplevel)) || !plan.etc().isEmpty() || !plan.services().isEmpty();
        String message = changed ? "would activate " + toplevel + "; " + plan.etc().summary()
                + (plan.services().isEmpty() ? "" : "; " + plan.services().summary()) : "would change nothing";
        return new SwitchResult(from, generations.holding(toplevel), changed, true, false, List.of(), message);
    }

    private SwitchResult boot(String toplevel, int from, SwitchOptions options) {
        Generation g = profile.set(toplevel);
        generations.record(g.number(), toplevel, options.deploymentId());
        boolean changed = g.number() != from;
        LOG.info("boot: generation {} ({}) is the default from the next start", g.number(), toplevel);
        return new SwitchResult(from, g.number(), changed, true, false, List.of(),
                "generation " + g.number() + " will be activated on the next agent start");
    }

    private SwitchResult unchanged(String toplevel, Manifest manifest, int from, SwitchOptions options) {
        SystemActivator.Report repaired = activator.activate(toplevel, manifest, options.secrets(), "switch");
        activator.secrets().discard();
        List<CheckResult> results = checks.runAll(manifest, activator.physical(toplevel));
        boolean healthy = results.stream().allMatch(CheckResult::healthy);
        boolean changed = !repaired.etc().isEmpty() || !repaired.services().isEmpty();
        String message = "unchanged: generation " + from + " is already " + toplevel
                + (changed ? "; repaired " + repaired.summary() : "")
                + (healthy ? "" : "; check '" + firstFailure(results).name() + "' fails: " + firstFailure(results).output());
        return new SwitchResult(from, from, changed, healthy, false, results, message);
    }

    private static CheckResult firstFailure(List<CheckResult> results) {
        return results.stream().filter(c -> !c.healthy()).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        timer.close();
        activator.close();
    }
}
