package dev.flotilla.deploy.rollout;

import dev.flotilla.deploy.plan.Plan;
import dev.flotilla.deploy.plan.PlanDocument;
import dev.flotilla.deploy.plan.PlanLoader;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to show a rollout, and to resume it in another process: a snapshot that a
 * {@link RolloutStore} keeps. Immutable; the engine saves a new snapshot as the rollout moves.
 *
 * @param plan        the plan as a JSON document in {@link PlanLoader}'s schema
 * @param description what was asked, for people ("deploy fleet/ --on web-*")
 * @param reason      why it halted or failed; empty otherwise
 * @param hosts       in plan order (stage, batch, then the plan's host order)
 */
public record RolloutRecord(
        String id,
        Goal goal,
        RolloutStatus status,
        Instant created,
        Instant updated,
        String description,
        String plan,
        List<StageRecord> stages,
        List<HostRecord> hosts,
        String reason) {

    public RolloutRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(goal, "goal");
        Objects.requireNonNull(status, "status");
        stages = List.copyOf(stages);
        hosts = List.copyOf(hosts);
        description = Objects.requireNonNullElse(description, "");
        reason = Objects.requireNonNullElse(reason, "");
    }

    public Plan parsedPlan() {
        return PlanLoader.parse("rollout " + id + " (stored plan)", plan);
    }

    public static String planDocument(Plan plan) {
        return PlanDocument.toJson(plan);
    }

    public Optional<HostRecord> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    public long count(HostState state) {
        return hosts.stream().filter(h -> h.state() == state).count();
    }

    /** Hosts switched by this rollout and still on what it switched them to. */
    public long switched() {
        return hosts.stream().filter(h -> h.state() == HostState.CONFIRMED && h.changed()).count();
    }

    public long failures() {
        return hosts.stream().filter(HostRecord::failed).count();
    }

    /** Whether any host has been acted on (a rollout resumed rather than started). */
    public boolean started() {
        return hosts.stream().anyMatch(h -> h.state() != HostState.PENDING);
    }

    RolloutRecord with(RolloutStatus s, String why, List<StageRecord> st, List<HostRecord> hs, Instant now) {
        return new RolloutRecord(id, goal, s, created, now, description, plan, st, hs, why);
    }
}
