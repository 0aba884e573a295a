package dev.flotilla.controller.rollout.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.flotilla.deploy.rollout.HostState;
import dev.flotilla.deploy.rollout.Goal;
import dev.flotilla.controller.rollout.domain.RolloutState;
import dev.flotilla.controller.rollout.persistence.Rollout;
import dev.flotilla.controller.rollout.persistence.RolloutEvent;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What the API shows of rollouts. */
public final class RolloutViews {

    private RolloutViews() {}

    /** A rollout; {@code hosts} only when one rollout is asked for; {@code owner}: the replica driving it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RolloutView(long id, RolloutState state, Goal goal, String description, String configPath, String selector,
                              int parallelism, String mode, String planName, String rollbackTo, String createdBy, Instant createdAt,
                              Instant startedAt, Instant finishedAt, boolean abortRequested, boolean pauseRequested, String owner,
                              Instant leaseUntil, String summary, String reason, List<Map<String, Object>> stages, List<String> approvedStages,
                              Map<HostState, Long> hostStates, List<HostView> hosts) {

        /** With every host, as read by {@link HostListCache}. */
        static RolloutView withHosts(Rollout r, List<HostView> hosts) {
            Map<HostState, Long> counts = new EnumMap<>(HostState.class);
            for (HostView h : hosts) {
                counts.merge(h.state(), 1L, Long::sum);
            }
            return of(r, counts, hosts);
        }

        /** As listed: counts of host states only. */
        static RolloutView of(Rollout r, Map<HostState, Long> counts, List<HostView> hosts) {
            return new RolloutView(r.id, r.state, r.goal, r.description, r.configPath.isEmpty() ? null : r.configPath, r.selector,
                    r.parallelism, r.mode, planName(r.plan), r.rollbackTo, r.createdBy, r.createdAt, r.startedAt, r.finishedAt,
                    r.abortRequested, r.pauseRequested, r.owner, r.leaseUntil, r.summary, r.reason, r.stages, r.approvedStages, counts, hosts);
        }

        private static String planName(String plan) {
            if (plan == null) {
                return null;
            }
            try {
                return dev.flotilla.deploy.plan.PlanLoader.parse("stored plan", plan).name();
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    /** One host's state in a rollout. */
    public record HostView(String name, String address, int port, HostState state, String stage, int batch, Integer fromGeneration,
                           Integer toGeneration, Integer targetGeneration, boolean changed, boolean failed, String failedStep,
                           String toplevel, String reason, String detail, int pathsSent, long bytesSent, Instant updatedAt) {
    }

    /** One event, as listed and as sent on the stream. */
    public record EventView(long rolloutId, long seq, Instant at, RolloutEvent.Kind kind, String host, String state, String detail) {

        static EventView of(RolloutEvent e) {
            return new EventView(e.rolloutId, e.seq, e.at, e.kind, e.hostName, e.state, e.detail);
        }
    }
}
