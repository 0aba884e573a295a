package dev.flotilla.deploy.rollout;

import dev.flotilla.deploy.Step;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One host of a rollout, as stored: how to reach it, what it should become, and where it is.
 *
 * @param hostKey          pinned OpenSSH host key line, or empty (then the deploying side's known_hosts pins it)
 * @param stage            the plan stage that takes this host
 * @param batch            its batch within that stage (0-based)
 * @param toplevel         {@link Goal#DEPLOY}: the system to switch to; empty for a rollback
 * @param targetGeneration {@link Goal#ROLLBACK}: the generation to return to; 0 = the one before the current
 * @param fromGeneration   the host's default generation before the rollout touched it (-1 until asked)
 * @param fromSystem       the system active before the rollout touched it (empty: none, or not asked yet)
 * @param generation       the generation the host's switch made or returned to (0 until switched)
 * @param changed          the switch changed the host's system (false when it was already there)
 * @param failed           the host failed during this rollout: it counts against the failure budgets
 * @param failedStep       where it failed, when {@code failed}
 * @param failure          why it failed, when {@code failed} (kept when later transitions change the detail)
 * @param detail           the last transition's detail, for people
 */
public record HostRecord(
        String name,
        String address,
        int port,
        String hostKey,
        String stage,
        int batch,
        String toplevel,
        int targetGeneration,
        int fromGeneration,
        String fromSystem,
        int generation,
        boolean changed,
        HostState state,
        boolean failed,
        Optional<Step> failedStep,
        String failure,
        String detail,
        int pathsSent,
        long bytesSent,
        Instant updated) {

    public HostRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        hostKey = Objects.requireNonNullElse(hostKey, "");
        toplevel = Objects.requireNonNullElse(toplevel, "");
        fromSystem = Objects.requireNonNullElse(fromSystem, "");
        detail = Objects.requireNonNullElse(detail, "");
        failure = Objects.requireNonNullElse(failure, "");
        failedStep = Objects.requireNonNullElse(failedStep, Optional.empty());
    }

    /** A host not yet acted on. */
    public static HostRecord pending(String name, String address, int port, String hostKey, String stage, int batch,
                                     String toplevel, int targetGeneration, Instant now) {
        return new HostRecord(name, address, port, hostKey, stage, batch, toplevel, targetGeneration, -1, "", 0, false,
                HostState.PENDING, false, Optional.empty(), "", "", 0, 0, now);
    }

    /** How the host's part of the rollout came out, in the words a summary uses. */
    public enum Result {
        /** Now on the new generation, healthy. */
        SWITCHED,
        /** Was already on its new system. */
        UNCHANGED,
        /** Back on what it ran before: it failed its checks, or a rollback policy undid it. */
        ROLLED_BACK,
        /** Failed before its switch (nothing changed), or its rollback failed. */
        FAILED,
        /** The rollout stopped (or waits) before switching it. */
        NOT_SWITCHED;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public Result result() {
        return switch (state) {
            case CONFIRMED -> changed ? Result.SWITCHED : Result.UNCHANGED;
            case ROLLED_BACK -> Result.ROLLED_BACK;
            case FAILED -> Result.FAILED;
            case PENDING, COPYING, COPIED, SWITCHING, CHECKING, ROLLING_BACK -> Result.NOT_SWITCHED;
        };
    }

    /** Why it failed, or what its last change was. */
    public String reason() {
        return failure.isEmpty() ? detail : failure;
    }

    /** Whether the host has been asked what it ran before the rollout. */
    public boolean knowsOrigin() {
        return fromGeneration >= 0;
    }

    HostRecord moved(HostState to, String why, Instant now) {
        return new HostRecord(name, address, port, hostKey, stage, batch, toplevel, targetGeneration, fromGeneration, fromSystem,
                generation, changed, to, failed, failedStep, failure, why, pathsSent, bytesSent, now);
    }

    HostRecord withOrigin(int gen, String system) {
        return new HostRecord(name, address, port, hostKey, stage, batch, toplevel, targetGeneration, gen, system,
                generation, changed, state, failed, failedStep, failure, detail, pathsSent, bytesSent, updated);
    }

    HostRecord withSwitch(int gen, boolean didChange) {
        return new HostRecord(name, address, port, hostKey, stage, batch, toplevel, targetGeneration, fromGeneration, fromSystem,
                gen, didChange, state, failed, failedStep, failure, detail, pathsSent, bytesSent, updated);
    }

    HostRecord withTransfer(int paths, long bytes) {
        return new HostRecord(name, address, port, hostKey, stage, batch, toplevel, targetGeneration, fromGeneration, fromSystem,
                generation, changed, state, failed, failedStep, failure, detail, paths, bytes, updated);
    }

    HostRecord withFailure(Step step, String why) {
        return new HostRecord(name, address, port, hostKey, stage, batch, toplevel, targetGeneration, fromGeneration, fromSystem,
                generation, changed, state, true, Optional.of(step), why, detail, pathsSent, bytesSent, updated);
    }
}
