package dev.flotilla.agent;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a switch should go, beyond the toplevel and the mode.
 *
 * @param confirmTimeout how long the agent waits, after a {@code switch} or {@code test} that changed
 *                       the system, for a confirmation over a new connection before it rolls back by
 *                       itself; {@link Duration#ZERO} = no magic rollback (the switch counts as
 *                       confirmed at once)
 * @param deploymentId   which deployment made this switch (stored beside the generation, shown by
 *                       {@code generations}), if known
 * @param secrets        secret contents by the names the manifest's {@code secrets} declares;
 *                       written at activation outside the store, never logged ({@link #toString()}
 *                       shows names only)
 */
public record SwitchOptions(Duration confirmTimeout, Optional<String> deploymentId, Map<String, byte[]> secrets) {
    /** The agent's default confirm timeout. */
    public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(30);
    /** The longest confirm timeout a request may ask for. */
    public static final Duration MAX_CONFIRM_TIMEOUT = Duration.ofHours(1);

    public SwitchOptions {
        Objects.requireNonNull(confirmTimeout, "confirmTimeout");
        if (confirmTimeout.isNegative() || confirmTimeout.compareTo(MAX_CONFIRM_TIMEOUT) > 0) {
            throw new AgentException(AgentException.Kind.BAD_REQUEST,
                    "confirm timeout must be between 0 and " + MAX_CONFIRM_TIMEOUT.toSeconds() + " s, got " + confirmTimeout);
        }
        deploymentId = Objects.requireNonNull(deploymentId, "deploymentId").filter(s -> !s.isBlank());
        deploymentId.ifPresent(id -> {
            if (id.length() > 200 || id.chars().anyMatch(c -> c < 0x20)) {
                throw new AgentException(AgentException.Kind.BAD_REQUEST, "deployment id must be one line of at most 200 characters");
            }
        });
        TreeMap<String, byte[]> copy = new TreeMap<>();
        Objects.requireNonNull(secrets, "secrets").forEach((k, v) -> copy.put(k, v.clone()));
        secrets = java.util.Collections.unmodifiableSortedMap(copy);
    }

    /** Default confirm timeout, no deployment id, no secrets. */
    public static SwitchOptions defaults() {
        return new SwitchOptions(DEFAULT_CONFIRM_TIMEOUT, Optional.empty(), Map.of());
    }

    public SwitchOptions withConfirmTimeout(Duration timeout) {
        return new SwitchOptions(timeout, deploymentId, secrets);
    }

    public SwitchOptions withDeploymentId(String id) {
        return new SwitchOptions(confirmTimeout, Optional.ofNullable(id), secrets);
    }

    public SwitchOptions withSecrets(Map<String, byte[]> contents) {
        return new SwitchOptions(confirmTimeout, deploymentId, contents);
    }

    /** The secrets as base64 text (their wire form). */
    public Map<String, String> secretsBase64() {
        Map<String, String> out = new TreeMap<>();
        secrets.forEach((k, v) -> out.put(k, Base64.getEncoder().encodeToString(v)));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SwitchOptions other && confirmTimeout.equals(other.confirmTimeout)
                && deploymentId.equals(other.deploymentId) && secretsBase64().equals(other.secretsBase64());
    }

    @Override
    public int hashCode() {
        return Objects.hash(confirmTimeout, deploymentId, secrets.keySet());
    }

    @Override
    public String toString() {
        return "SwitchOptions[confirmTimeout=" + confirmTimeout + ", deploymentId=" + deploymentId
                + ", secrets=" + secrets.keySet() + "]";
    }
}
