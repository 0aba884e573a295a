package dev.flotilla.agent.state;

import dev.flotilla.agent.PendingInfo;
import dev.flotilla.json.Json;
import dev.flotilla.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A switch not yet confirmed, persisted in {@code R/flotilla/var/pending.json} <em>before</em> the
 * switch touches anything, and deleted (durably) when it is confirmed or rolled back. Whoever finds
 * it while its owner process is dead (an agent killed mid-switch, a host rebooted) rolls it back.
 *
 * @param token           the confirm token
 * @param mode            {@code switch} or {@code test}
 * @param fromGeneration  default generation to go back to (0 = none)
 * @param toGeneration    generation being tried (0 = none, for a test)
 * @param toplevel        system being tried
 * @param previousActive  the system active before (empty = none)
 * @param setsDefault     whether the switch moved the profile (a rollback moves it back)
 * @param deadline        when to roll back unless confirmed
 * @param deploymentId    who asked
 * @param connection      the connection the switch came over (a confirm must come over another)
 * @param ownerPid        the process that runs the switch and its timer
 * @param ownerStart      that process's start time (pids are reused)
 */
public record PendingSwitch(String token, String mode, int fromGeneration, int toGeneration, String toplevel,
                            Optional<String> previousActive, boolean setsDefault, Instant deadline,
                            Optional<String> deploymentId, String connection, long ownerPid, Instant ownerStart) {

    public PendingInfo info() {
        return new PendingInfo(mode, fromGeneration, toGeneration, toplevel, deadline, deploymentId);
    }

    public PendingSwitch withDeadline(Instant newDeadline, int newToGeneration) {
        return new PendingSwitch(token, mode, fromGeneration, newToGeneration, toplevel, previousActive, setsDefault,
                newDeadline, deploymentId, connection, ownerPid, ownerStart);
    }

    /** Whether the process that owns this switch is this one. */
    public boolean ownedByThisProcess() {
        ProcessHandle me = ProcessHandle.current();
        return me.pid() == ownerPid && me.info().startInstant().map(ownerStart::equals).orElse(true);
    }

    /** Whether the owning process still runs (same pid, same start time). */
    public boolean ownerAlive() {
        return ProcessHandle.of(ownerPid).filter(ProcessHandle::isAlive)
                .map(p -> p.info().startInstant().map(ownerStart::equals).orElse(true))
                .orElse(false);
    }

    public static Instant currentProcessStart() {
        return ProcessHandle.current().info().startInstant().orElse(Instant.EPOCH);
    }

    public void write(Path file) throws IOException {
        JsonObject.Builder o = JsonObject.builder()
                .put("token", token).put("mode", mode).put("fromGeneration", fromGeneration)
                .put("toGeneration", toGeneration).put("toplevel", toplevel).put("setsDefault", setsDefault)
                .put("deadline", deadline.toString()).put("connection", connection)
                .put("ownerPid", ownerPid).put("ownerStart", ownerStart.toString());
        previousActive.ifPresent(p -> o.put("previousActive", p));
        deploymentId.ifPresent(d -> o.put("deploymentId", d));
        AtomicFiles.write(file, Json.write(o.build()));
    }

    public static Optional<PendingSwitch> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonObject o = Json.parseObject(Files.readAllBytes(file));
        return Optional.of(new PendingSwitch(o.string("token"), o.string("mode"),
                o.intValue("fromGeneration"), o.intValue("toGeneration"), o.string("toplevel"),
                o.optString("previousActive"), o.bool("setsDefault"), Instant.parse(o.string("deadline")),
                o.optString("deploymentId"), o.string("connection"), o.longValue("ownerPid"),
                Instant.parse(o.string("ownerStart", Instant.EPOCH.toString()))));
    }
}
