package dev.flotilla.agent;

import java.util.Objects;

/**
 * The verdict of one health check.
 *
 * @param name     the check's name in the manifest
 * @param healthy  whether the last attempt passed
 * @param attempts how many attempts ran
 * @param output   what the last attempt said (command output, HTTP status/body excerpt, error), trimmed
 * @param millis   time spent on all attempts
 */
public record CheckResult(String name, boolean healthy, int attempts, String output, long millis) {
    public CheckResult {
        Objects.requireNonNull(name, "name");
        output = output == null ? "" : output;
    }
}
