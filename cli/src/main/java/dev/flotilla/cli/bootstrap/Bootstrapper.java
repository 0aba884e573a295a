package dev.flotilla.cli.bootstrap;

import static dev.flotilla.cli.bootstrap.OpenSsh.quote;

import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.agent.client.HostKeyPin;
import dev.flotilla.cli.bootstrap.BootstrapException.Kind;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The steps of {@code flotilla bootstrap}, in order: check the host's OpenSSH key, probe the host,
 * send the bundle unless the host already has it, run the bundle's {@code share/install.sh}, then wait
 * until the agent answers on its port with the host key install.sh read from the host. Nothing is sent
 * before the host key check passes.
 */
final class Bootstrapper {

    /**
     * What to install where.
     *
     * @param prefix        where the bundle goes on the host
     * @param root          the agent's root on the host ({@code /} on a real host)
     * @param agentAddress  how this machine reaches the agent (the SSH host unless told otherwise)
     * @param operatorKey   the Flotilla client key the agent must authorize (deploy's identity)
     * @param operatorKeyLine its public half as an OpenSSH line
     * @param storeKey      the store signing key the agent must trust, as {@code name:base64}
     */
    record Settings(SshTarget target, Optional<Path> sshIdentity, HostKeyTrust trust, boolean sudo, String prefix,
                    String root, String agentBind, int agentPort, String agentAddress, boolean noSystemd,
                    Duration connectTimeout, Duration agentWait, KeyPair operatorKey, String operatorKeyLine, String storeKey) {}

    private final Settings s;
    private final PrintStream notices;

    Bootstrapper(Settings settings, PrintStream notices) {
        this.s = settings;
        this.notices = notices;
    }

    /** Where the bundle comes from; asked only once the host has been reached, since building one takes a while. */
    interface BundleSource {
        AgentBundle get() throws BootstrapException, IOException;
    }

    BootstrapResult run(BundleSource bundles) throws BootstrapException, IOException {
        // Short: the ssh control socket's path must fit in a unix socket address.
        Path work = Files.createTempDirectory(Path.of("/tmp"), "flb");
        try {
            HostKeyTrust.Checked trust = s.trust().check(s.target(), work, s.connectTimeout());
            notices.println(trust.description());
            try (OpenSsh ssh = new OpenSsh(s.target(), s.sshIdentity(), trust, s.connectTimeout(), work, s.sudo())) {
                Map<String, String> probe = keyValues(ssh.check("probing the host", probeScript(), Optional.empty()).out());
                AgentBundle bundle = bundles.get();
                checkArch(bundle, probe.getOrDefault("arch", ""));
                boolean upload = !bundle.sha256().equals(probe.getOrDefault("installed", ""));
                String bundleDir = s.prefix();
                if (upload) {
                    checkSpace(bundle, probe.getOrDefault("free_kb", ""), probe.getOrDefault("free_dir", s.prefix()));
                    notices.printf("sending the agent bundle (%d MB) to %s...%n", bundle.size() >> 20, s.target());
                    ssh.check("unpacking the agent bundle", unpackScript(bundle), Optional.of(bundle.tarball()));
                    bundleDir = s.prefix() + ".new/flotilla-agent";
                } else {
                    notices.println(s.target() + " already has this agent bundle (" + bundle.sha256().substring(0, 12) + "): not sent again");
                }
                Map<String, String> installed = keyValues(ssh.check("installing the agent", installCommand(bundleDir), Optional.empty()).out());
                String hostKey = installed.getOrDefault("host-key", "");
                HostKeyPin pin;
                try {
                    pin = HostKeyPin.ofPublicKeyLine(hostKey);
                } catch (IllegalArgumentException e) {
                    throw new BootstrapException(Kind.REMOTE_FAILED, s.target() + ": install.sh printed no usable agent host key ('"
                            + hostKey + "')", e);
                }
                String started = installed.getOrDefault("started", "?");
                String log = installed.getOrDefault("log", "");
                notices.println("agent " + (started.equals("already-running") ? "already running, unchanged" : "started (" + started + ")")
                        + "; waiting for it on " + s.agentAddress() + ":" + s.agentPort() + "...");
                String version = waitForAgent(ssh, pin, started, log);
                return new BootstrapResult(s.target().toString(), trust.description(), bundle.sha256(), upload, started,
                        Optional.ofNullable(installed.get("pid")).map(Long::parseLong), log, installed.getOrDefault("changed", "").strip(),
                        hostKey, pin.fingerprint(), s.agentAddress(), s.agentPort(), version, Optional.empty(), false);
            }
        } finally {
            deleteTree(work);
        }
    }

    private String probeScript() {
        String prefix = quote(s.prefix());
        return "echo \"arch=$(uname -m)\"; echo \"uid=$(id -u)\"\n"
                + "d=" + prefix + "; while [ ! -d \"$d\" ]; do d=$(dirname \"$d\"); done\n"
                + "echo \"free_dir=$d\"; echo \"free_kb=$(df -Pk \"$d\" | awk 'NR==2 {print $4}')\"\n"
                + "echo \"installed=$(cat " + quote(s.prefix() + "/BUNDLE-SHA256") + " 2>/dev/null || true)\"\n"
                + "for c in tar gzip setsid; do command -v $c >/dev/null || { echo \"the host has no $c\" >&2; exit 1; }; done\n";
    }

    private void checkArch(AgentBundle bundle, String hostArch) throws BootstrapException {
        if (bundle.arch().isPresent() && !bundle.arch().get().equals(hostArch)) {
            throw new BootstrapException(Kind.BUNDLE, s.target() + " is a " + hostArch + " machine but the agent bundle " + bundle.tarball()
                    + " is for " + bundle.arch().get() + ": build one on a " + hostArch + " machine and pass --bundle FILE");
        }
    }

    private void checkSpace(AgentBundle bundle, String freeKb, String dir) throws BootstrapException {
        // The unpacked bundle is under twice the tarball; the previous install stays until the new one runs.
        long needKb = bundle.size() * 3 / 1024;
        try {
            long free = Long.parseLong(freeKb.strip());
            if (free < needKb) {
                throw new BootstrapException(Kind.NO_SPACE, s.target() + ": no space for the agent: " + dir + " has " + (free >> 10)
                        + " MB free, the bundle needs about " + (needKb >> 10) + " MB");
            }
        } catch (NumberFormatException e) {
            notices.println("note: could not read the free space of " + dir + " on " + s.target() + "; trying anyway");
        }
    }

    private String unpackScript(AgentBundle bundle) {
        String stage = quote(s.prefix() + ".new");
        return "set -e; rm -rf " + stage + "; mkdir -p " + stage + "; tar -xzf - -C " + stage + "\n"
                + "[ -f " + stage + "/flotilla-agent/share/install.sh ] || { echo 'the bundle has no share/install.sh "
                + "(made by an older build-bundle.sh?)' >&2; exit 1; }\n"
                + "echo " + bundle.sha256() + " > " + stage + "/flotilla-agent/BUNDLE-SHA256\n";
    }

    private String installCommand(String bundleDir) {
        List<String> args = new ArrayList<>(List.of("sh", bundleDir + "/share/install.sh", "--bundle", bundleDir, "--prefix", s.prefix(),
                "--root", s.root(), "--listen", s.agentBind() + ":" + s.agentPort(),
                "--authorized-key", s.operatorKeyLine(), "--trusted-key", s.storeKey()));
        if (s.noSystemd()) {
            args.add("--no-systemd");
        }
        return String.join(" ", args.stream().map(OpenSsh::quote).toList());
    }

    /** Asks the agent for its status over its own SSH port until it answers; the error carries its log's tail. */
    private String waitForAgent(OpenSsh ssh, HostKeyPin pin, String started, String log) throws BootstrapException, IOException {
        long deadline = System.nanoTime() + s.agentWait().toNanos();
        Exception last = null;
        do {
            try (AgentClient c = AgentClient.connect(s.agentAddress(), s.agentPort(), s.operatorKey(), pin, Duration.ofSeconds(5))) {
                return c.status().agentVersion();
            } catch (IOException | RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the agent", e);
            }
        } while (System.nanoTime() < deadline);
        String tail = started.equals("systemd") ? "journalctl -u flotilla-agent -n 30 --no-pager 2>&1" : "tail -n 30 " + quote(log) + " 2>&1";
        OpenSsh.Result r = ssh.run(tail, Optional.empty());
        throw new BootstrapException(Kind.AGENT_NOT_UP, "the agent on " + s.target() + " did not answer on " + s.agentAddress() + ":"
                + s.agentPort() + " within " + s.agentWait().toSeconds() + " s (last error: " + (last == null ? "none" : last.getMessage())
                + "); the end of its log (" + (started.equals("systemd") ? "journalctl -u flotilla-agent" : log) + "):\n" + r.out().stripTrailing());
    }

    /** install.sh's and the probe's {@code key: value} / {@code key=value} lines. */
    static Map<String, String> keyValues(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int colon = line.indexOf(": ");
            int eq = line.indexOf('=');
            int at = colon >= 0 && (eq < 0 || colon < eq) ? colon : eq;
            if (at > 0) {
                m.put(line.substring(0, at).strip(), line.substring(at + (at == colon ? 2 : 1)).strip());
            }
        }
        return m;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A scratch directory under /tmp: left for the system to clean.
        }
    }
}
