package dev.flotilla.deploy;

import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.deploy.rollout.RolloutRecord;
import dev.flotilla.deploy.rollout.RolloutStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a deploy or rollback ended.
 *
 * @param rollout the rollout as stored; empty when the configuration was invalid and nothing started
 * @param reason  why it halted, failed, waits, or was invalid; empty otherwise
 * @param invalid for an invalid configuration: each host whose system could not be built, and why
 */
public record RolloutReport(Optional<RolloutRecord> rollout, Outcome outcome, String reason,
                            Map<String, SystemSource.BuildException> invalid, Duration elapsed) {

    /** The outcomes a caller tells apart (the CLI maps each to an exit code). */
    public enum Outcome {
        SUCCEEDED, ROLLED_BACK, INVALID, FAILED, HALTED, AWAITING_APPROVAL;

        public static Outcome of(RolloutStatus s) {
            return switch (s) {
                case SUCCEEDED -> SUCCEEDED;
                case ROLLED_BACK -> ROLLED_BACK;
                case FAILED, RUNNING -> FAILED;
                case HALTED -> HALTED;
                case AWAITING_APPROVAL -> AWAITING_APPROVAL;
            };
        }
    }

    public RolloutReport {
        reason = reason == null ? "" : reason;
        invalid = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(invalid));
    }

    static RolloutReport invalid(Map<String, SystemSource.BuildException> invalid, Duration elapsed) {
        return new RolloutReport(Optional.empty(), Outcome.INVALID,
                "the configuration is invalid for " + String.join(", ", invalid.keySet()), invalid, elapsed);
    }

    public Optional<String> rolloutId() {
        return rollout.map(RolloutRecord::id);
    }

    /** Every host in plan order (none when the configuration was invalid). */
    public List<HostRecord> hosts() {
        return rollout.map(RolloutRecord::hosts).orElse(List.of());
    }

    public HostRecord host(String name) {
        return hosts().stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host " + name + " in this rollout"));
    }

    public long count(HostRecord.Result result) {
        return hosts().stream().filter(h -> h.result() == result).count();
    }
}
