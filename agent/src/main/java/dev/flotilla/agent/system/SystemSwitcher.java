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
import dev.flotilla.agent.state.AtomicFiles;
import dev.flotilla.agent.state.GenerationMeta;
import dev.flotilla.agent.state.HostLock;
import dev.flotilla.agent.state.Journal;
import dev.flotilla.agent.state.PendingSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

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
    private final Path var;
    private final HostLock lock;
    private final Journal journal;
    private final GenerationMeta meta;
    private final Clock clock;
    private final ConfirmTimer timer = new ConfirmTimer();

    public SystemSwitcher(SystemStore store, Profile profile, SystemActivator activator, HealthCheckRunner checks, Path root) {
        this.store = store;
        this.profile = profile;
        this.activator = activator;
        this.checks = checks;
        this.var = root.toAbsolutePath().normalize().resolve("flotilla/var");
        this.lock = HostLock.of(var);
        this.journal = new Journal(var.resolve("journal.jsonl"));
        this.meta = new GenerationMeta(var.resolve("generations"));
        this.clock = Clock.systemUTC();
    }

    /** The usual wiring under physical root {@code root}. */
    public static SystemSwitcher forRoot(Path root, SystemStore store) {
        return forRoot(root, store, new SystemActivator(root, new EtcActivator(root)));
    }

    public static SystemSwitcher forRoot(Path root, SystemStore store, SystemActivator activator) {
        return new SystemSwitcher(store, Profile.system(root), activator, new HealthCheckRunner(root), root);
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
        Optional<PendingSwitch> pending = readPending();
        if (pending.isEmpty()) {
            activator.secrets().discard();  // copies left by a crash after a confirmation
            return;
        }
        PendingSwitch p = pending.get();
        if (p.ownedByThisProcess() && timer.isScheduled(p.token()) || !p.ownedByThisProcess() && p.ownerAlive()) {
            throw new AgentException(Kind.BUSY, "generation " + p.toGeneration() + " (" + p.toplevel()
                    + ") waits for its confirmation until " + p.deadline() + "; confirm or roll it back first");
        }
        rollBackPending(p, "the agent stopped before the switch was confirmed");
    }

    private SwitchResult activateAndCheck(String toplevel, Manifest manifest, int from, SwitchMode mode,
                                          SwitchOptions options, String connection) {
        boolean setDefault = mode == SwitchMode.SWITCH;
        Optional<String> previouslyActive = activator.active();
        String token = UUID.randomUUID().toString();
        Duration wait = options.confirmTimeout();
        PendingSwitch pending = new PendingSwitch(token, mode.cliName(), from, setDefault ? 0 : generationHolding(toplevel),
                toplevel, previouslyActive, setDefault, clock.instant().plus(wait).plus(Duration.ofHours(1)),
                options.deploymentId(), connection, ProcessHandle.current().pid(), PendingSwitch.currentProcessStart());
        writePending(pending);  // before anything changes: a crash from here on is rolled back at the next start
        int to = pending.toGeneration();
        if (setDefault) {
            to = profile.set(toplevel).number();
            pending = pending.withDeadline(pending.deadline(), to);
            recordMeta(to, toplevel, options.deploymentId());
        }
        LOG.info("{}: activating {} (generation {} -> {})", mode.cliName(), toplevel, from, to);
        SystemActivator.Report report;
        try {
            report = activator.activate(toplevel, manifest, options.secrets(), mode.cliName());
        } catch (RuntimeException e) {
            LOG.warn("{}: activation of {} failed: {}", mode.cliName(), toplevel, e.getMessage());
            String back = rollBackPending(pending, "activation failed: " + e.getMessage());
            return new SwitchResult(from, to, false, false, true, List.of(), "activation failed: " + e.getMessage() + "; " + back);
        }
        List<CheckResult> results = checks.runAll(manifest, activator.physical(toplevel));
        Optional<CheckResult> failed = results.stream().filter(c -> !c.healthy()).findFirst();
        if (failed.isPresent()) {
            CheckResult f = failed.get();
            LOG.warn("{}: health check '{}' failed after {} attempt(s): {}", mode.cliName(), f.name(), f.attempts(), f.output());
            String why = "health check '" + f.name() + "' failed: " + f.output();
            return new SwitchResult(from, to, false, false, true, results, why + "; " + rollBackPending(pending, why));
        }
        String done = (setDefault ? "switched to generation " + to : "activated (test) " + toplevel) + "; " + report.summary();
        if (wait.isZero()) {
            finish(pending, "confirmed at once (no confirm timeout)");
            LOG.info("{}: {} is active and healthy; {}", mode.cliName(), toplevel, report.summary());
            return new SwitchResult(from, to, true, true, false, results, done);
        }
        Instant deadline = clock.instant().plus(wait);
        pending = pending.withDeadline(deadline, to);
        writePending(pending);
        timer.schedule(token, deadline, this::expire);
        journal.append(entry("switch", pending, "awaiting confirmation until " + deadline));
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
            Optional<PendingSwitch> pending = readPending();
            if (pending.isPresent() && pending.get().token().equals(token)) {
                PendingSwitch p = pending.get();
                if (p.connection().equals(connection) && !connection.equals(LOCAL)) {
                    throw new AgentException(Kind.BAD_REQUEST, "confirm over a new connection: this one made the switch,"
                            + " and only a new one proves the host is still reachable");
                }
                if (!clock.instant().isBefore(p.deadline())) {
                    String why = "no confirmation before " + p.deadline();
                    rollBackPending(p, why);
                    throw new AgentException(Kind.ROLLED_BACK, "too late: rolled back to generation " + p.fromGeneration() + " (" + why + ")");
                }
                finish(p, "confirmed");
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
            Optional<PendingSwitch> pending = readPending();
            if (pending.isPresent() && pending.get().token().equals(token)) {
                PendingSwitch p = pending.get();
                LOG.warn("no confirmation for {} by {}: rolling back (magic rollback)", p.toplevel(), p.deadline());
                rollBackPending(p, "no confirmation before " + p.deadline() + " (magic rollback)");
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
            Optional<PendingSwitch> pending = readPending();
            if (pending.isEmpty() || pending.get().ownerAlive() && !pending.get().ownedByThisProcess()) {
                if (pending.isEmpty()) {
                    activator.secrets().discard();
                }
                return Optional.empty();
            }
            rollBackPending(pending.get(), "the agent stopped before the switch was confirmed");
            return journal.lastFor(pending.get().token(), "rollback");
        }
    }

    /** Waits until no switch of this process waits for confirmation (for {@code serve --stdio}). */
    public void awaitPendingResolution() throws InterruptedException {
        timer.awaitIdle();
    }

    /** Confirmed or not needing it: the switch is final. */
    private void finish(PendingSwitch p, String why) {
        timer.cancel(p.token());
        deletePending();
        activator.secrets().discard();
        journal.append(entry("confirm", p, why));
    }

    /** Puts back the profile, secrets, /etc and services of before {@code p}; always clears it. */
    private String rollBackPending(PendingSwitch p, String reason) {
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
        deletePending();
        journal.append(new JournalEntry(clock.instant(), "rollback", p.toGeneration(), back, p.toplevel(),
                Optional.of(p.token()), p.deploymentId(), reason + (outcome.startsWith("ROLLBACK FAILED") ? "; " + outcome : "")));
        return outcome;
    }

    /** Goes back to {@code generation}, or to the one before the current; activates it and runs its checks. */
    public SwitchResult rollback(OptionalInt generation) {
        try (var held = lock.acquire()) {
            Optional<PendingSwitch> pending = readPending();
            if (pending.isPresent() && generation.isEmpty()) {
                PendingSwitch p = pending.get();
                String outcome = rollBackPending(p, "rollback requested before the switch was confirmed");
                int now = profile.currentNumber().orElse(0);
                return new SwitchResult(p.toGeneration(), now, true, !outcome.startsWith("ROLLBACK FAILED"), true, List.of(), outcome);
            }
            pending.ifPresent(p -> rollBackPending(p, "rollback to generation " + generation.getAsInt() + " requested"));
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
        return CheckReport.of(toplevel, generationHolding(toplevel), checks.runAll(manifest, activator.physical(toplevel)));
    }

    public AgentStatus status() {
        OptionalInt current = profile.currentNumber();
        Optional<String> active = activator.active();
        Optional<String> host = active.flatMap(this::hostOf);
        List<DriftEntry> drift = activator.drift();
        return new AgentStatus(AGENT_VERSION, host, current.orElse(0), active, generations(false),
                readPending().map(PendingSwitch::info), journal.tail(10), drift, activator.serviceStatus());
    }

    /** Every generation; with {@code sizes}, each closure's NAR size (reads the store's metadata). */
    public List<GenerationInfo> generations(boolean sizes) {
        OptionalInt current = profile.currentNumber();
        return profile.generations().stream()
                .map(g -> new GenerationInfo(g.number(), g.storePath(), g.created(),
                        current.isPresent() && current.getAsInt() == g.number(),
                        sizes ? store.closureSize(g.storePath()) : -1, meta.deploymentId(g.number(), g.storePath())))
                .toList();
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
            List<Generation> all = profile.generations();
            int current = profile.currentNumber().orElse(0);
            Optional<String> active = activator.active();
            Optional<PendingSwitch> pending = readPending();
            Instant cutoff = olderThan.map(d -> clock.instant().minus(d)).orElse(Instant.MAX);
            int firstKept = keep.isPresent() ? Math.max(0, all.size() - keep.getAsInt()) : all.size();
            List<Integer> deleted = new java.util.ArrayList<>();
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
        return new SwitchResult(from, generationHolding(toplevel), changed, true, false, List.of(), message);
    }

    private SwitchResult boot(String toplevel, int from, SwitchOptions options) {
        Generation g = profile.set(toplevel);
        recordMeta(g.number(), toplevel, options.deploymentId());
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

    private void recordMeta(int generation, String toplevel, Optional<String> deploymentId) {
        try {
            meta.record(generation, toplevel, deploymentId);
        } catch (IOException e) {
            LOG.warn("cannot record generation {}: {}", generation, e.getMessage());
        }
    }

    private int generationHolding(String toplevel) {
        List<Generation> all = profile.generations();
        return all.reversed().stream().filter(g -> g.storePath().equals(toplevel)).mapToInt(Generation::number)
                .findFirst().orElse(0);
    }

    private JournalEntry entry(String event, PendingSwitch p, String reason) {
        return new JournalEntry(clock.instant(), event, p.fromGeneration(), p.toGeneration(), p.toplevel(),
                Optional.of(p.token()), p.deploymentId(), reason);
    }

    private Path pendingFile() {
        return var.resolve("pending.json");
    }

    private Optional<PendingSwitch> readPending() {
        try {
            return PendingSwitch.read(pendingFile());
        } catch (IOException | RuntimeException e) {
            throw new AgentException(Kind.INTERNAL, "cannot read " + pendingFile() + ": " + e.getMessage(), e);
        }
    }

    private void writePending(PendingSwitch p) {
        try {
            p.write(pendingFile());
        } catch (IOException e) {
            throw new AgentException(Kind.INTERNAL, "cannot write " + pendingFile() + ": " + e.getMessage(), e);
        }
    }

    private void deletePending() {
        try {
            AtomicFiles.delete(pendingFile());
        } catch (IOException e) {
            throw new AgentException(Kind.INTERNAL, "cannot delete " + pendingFile() + ": " + e.getMessage(), e);
        }
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
