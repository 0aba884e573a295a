package dev.flotilla.cli.bootstrap;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a bootstrap did.
 *
 * @param started   {@code systemd}, {@code detached} or {@code already-running} (nothing changed, the agent was left alone)
 * @param uploaded  whether the bundle was sent (false: the host already had this exact bundle)
 * @param changed   what install.sh changed on the host ({@code nothing} on an idempotent re-run)
 * @param hostKey   the agent's public host key line, read from the host over the authenticated OpenSSH channel
 * @param inventoryHost the inventory host recorded, when --inventory was given
 */
public record BootstrapResult(String target, String sshTrust, String bundleSha256, boolean uploaded, String started,
                              Optional<Long> pid, String log, String changed, String hostKey, String fingerprint,
                              String agentAddress, int agentPort, String agentVersion,
                              Optional<String> inventoryHost, boolean inventoryChanged) {

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("target", target);
        m.put("sshTrust", sshTrust);
        m.put("bundleSha256", bundleSha256);
        m.put("uploaded", uploaded);
        m.put("started", started);
        m.put("pid", pid.orElse(null));
        m.put("log", log);
        m.put("changed", changed);
        m.put("hostKey", hostKey);
        m.put("fingerprint", fingerprint);
        m.put("agentAddress", agentAddress);
        m.put("agentPort", agentPort);
        m.put("agentVersion", agentVersion);
        m.put("inventoryHost", inventoryHost.orElse(null));
        m.put("inventoryChanged", inventoryChanged);
        return m;
    }
}
