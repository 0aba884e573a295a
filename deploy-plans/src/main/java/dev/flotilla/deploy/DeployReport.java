package dev.flotilla.deploy;

import java.time.Duration;
import java.util.List;

/** Every host's result, in inventory order. */
public record DeployReport(List<HostResult> results, Duration elapsed) {

    public DeployReport {
        results = List.copyOf(results);
    }

    public boolean allSucceeded() {
        return results.stream().allMatch(HostResult::succeeded);
    }

    public long count(Class<? extends HostResult> kind) {
        return results.stream().filter(kind::isInstance).count();
    }

    public HostResult result(String host) {
        return results.stream().filter(r -> r.host().equals(host)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for host " + host));
    }
}
