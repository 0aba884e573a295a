package dev.flotilla.cli.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.cli.ExitCodes;
import dev.flotilla.cli.Workspace;
import dev.flotilla.store.StoreDir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bootstrap",
        mixinStandardHelpOptions = true,
        description = {
            "Install (or upgrade) the Flotilla agent on a host through the host's own OpenSSH, then record the",
            "agent's host key. Uses the system's ssh with keys only (no passwords) and strict host key checking",
            "against your known_hosts, a --known-hosts file, or the fingerprint given by --accept-host-key.",
            "Sends the agent bundle (a trimmed Java runtime and the agent's jars: the host needs no Java; built",
            "here from the source tree when missing), authorizes this workspace's SSH identity and trusts its",
            "store signing key, makes the agent's host key once, and starts the agent: as the systemd unit",
            "flotilla-agent.service when systemd runs on the host, else detached with a pid file. It then waits",
            "until the agent answers on its port, pinned to the host key read from the host over SSH (never",
            "from the network), prints that key and, with --inventory, writes it (and the port) to the host's",
            "entry, leaving the rest of the file as it was. Running it again upgrades in place and keeps the",
            "agent's host key, generations and state; an unchanged bundle is not sent again."
        },
        footer = {
            "",
            "Examples:",
            "  flotilla bootstrap root@10.0.0.11               # its OpenSSH key must be in ~/.ssh/known_hosts",
            "  flotilla bootstrap root@web-1 --accept-host-key SHA256:Xq3...   # 'ssh-keygen -lf' on the host",
            "  flotilla bootstrap ops@10.0.0.12:2200 --sudo --ssh-identity ~/.ssh/ops -i inventory.yaml",
            "  flotilla bootstrap root@box --no-systemd --prefix /srv/flotilla-agent --agent-port 2300 --json",
            "",
            "Exit codes:",
            "  0  the agent runs and answered with the recorded host key",
            "  2  invalid input: options, fingerprint, inventory (nothing was done on the host)",
            "  3  failed: unreachable, authentication refused, host key mismatch, no space, the agent did not",
            "     come up (with the end of its log), or a step on the host failed",
            "  70 no agent bundle could be built, or an internal error"
        })
public final class BootstrapCommand implements Callable<Integer> {

    @Parameters(paramLabel = "[USER@]HOST[:PORT]", description = "The host, as OpenSSH reaches it.")
    String host;

    @Option(names = "--ssh-port", paramLabel = "N", description = "OpenSSH's port on the host (default: from HOST, else ssh's own).")
    Integer sshPort;

    @Option(names = "--ssh-identity", paramLabel = "FILE", description = "Key for OpenSSH (ssh -i). Default: ssh's own (ssh-agent, ~/.ssh).")
    Path sshIdentity;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "Check the host's OpenSSH key against this known_hosts file only.")
    Path knownHosts;

    @Option(names = "--accept-host-key", paramLabel = "SHA256:…",
            description = "Trust the host's OpenSSH key with this fingerprint (and no other), for a host not yet in known_hosts.")
    String acceptHostKey;

    @Option(names = "--sudo", description = "Run the install through 'sudo -n' (for a login user that is not root).")
    boolean sudo;

    @Option(names = "--agent-port", defaultValue = "2222", paramLabel = "N", description = "The agent's SSH port (default: ${DEFAULT-VALUE}).")
    int agentPort;

    @Option(names = "--agent-bind", defaultValue = "0.0.0.0", paramLabel = "ADDR", description = "Address the agent listens on (default: ${DEFAULT-VALUE}).")
    String agentBind;

    @Option(names = "--agent-address", paramLabel = "ADDR", description = "Where this machine reaches the agent (default: HOST).")
    String agentAddress;

    @Option(names = "--prefix", defaultValue = "/opt/flotilla-agent", paramLabel = "DIR", description = "Install directory on the host (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--root", defaultValue = "/", paramLabel = "DIR",
            description = "The agent's root on the host: it manages DIR/etc and DIR/flotilla; settings in DIR/etc/flotilla (default: ${DEFAULT-VALUE}).")
    String root;

    @Option(names = "--no-systemd", description = "Start the agent detached (setsid, pid file) even when systemd runs on the host.")
    boolean noSystemd;

    @Option(names = "--bundle", paramLabel = "FILE", description = "Agent bundle .tar.gz (default: built from the source tree, reused while current).")
    Path bundle;

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", description = "Record the agent's host key and port in this inventory.")
    Path inventory;

    @Option(names = "--name", paramLabel = "NAME", description = "The inventory host (default: the one whose name or address is HOST).")
    String name;

    @Option(names = "--identity", paramLabel = "FILE", description = "Flotilla's SSH identity the agent authorizes (default: the state directory's own).")
    Path identity;

    @Option(names = "--state", paramLabel = "DIR", description = "State directory (keys). Default: $FLOTILLA_STATE or ~/.local/state/flotilla.")
    Path state;

    @Option(names = "--connect-timeout", defaultValue = "10", paramLabel = "SECONDS", description = "SSH connect timeout (default: ${DEFAULT-VALUE}).")
    int connectTimeout;

    @Option(names = "--wait", defaultValue = "60", paramLabel = "SECONDS", description = "How long to wait for the agent to answer (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Option(names = "--json", description = "Print one JSON object (the result, or the error with its code) instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            Bootstrapper.Settings settings = settings(err);
            Optional<String> inventoryHost = inventory == null ? Optional.empty()
                    : Optional.of(InventoryHostKeys.resolveName(inventory, Optional.ofNullable(name), settings.target().host()));
            BootstrapResult r = new Bootstrapper(settings, err).run(() -> bundle != null ? AgentBundle.of(bundle) : AgentBundle.fromSourceTree(err));
            boolean changed = false;
            if (inventoryHost.isPresent()) {
                changed = InventoryHostKeys.record(inventory, inventoryHost.get(), r.hostKey(), agentPort);
            }
            r = new BootstrapResult(r.target(), r.sshTrust(), r.bundleSha256(), r.uploaded(), r.started(), r.pid(), r.log(), r.changed(),
                    r.hostKey(), r.fingerprint(), r.agentAddress(), r.agentPort(), r.agentVersion(), inventoryHost, changed);
            print(out, r);
            return ExitCodes.OK;
        } catch (BootstrapException e) {
            err.println("error: " + e.getMessage());
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ok", false);
                m.put("error", Map.of("code", e.kind().code(), "message", e.getMessage()));
                out.println(new ObjectMapper().writeValueAsString(m));
            }
            return e.kind().exitCode();
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
    }

    private Bootstrapper.Settings settings(PrintStream notices) throws BootstrapException, IOException {
        SshTarget target = SshTarget.parse(host);
        if (sshPort != null) {
            SshTarget.checkPort(sshPort);
            if (target.port().isPresent() && !target.port().get().equals(sshPort)) {
                throw new IllegalArgumentException("two SSH ports: " + host + " and --ssh-port " + sshPort);
            }
            target = target.withPort(sshPort);
        }
        SshTarget.checkPort(agentPort);
        if (knownHosts != null && acceptHostKey != null) {
            throw new IllegalArgumentException("--known-hosts and --accept-host-key are alternatives: give one");
        }
        HostKeyTrust trust = acceptHostKey != null ? new HostKeyTrust.Fingerprint(acceptHostKey)
                : knownHosts != null ? new HostKeyTrust.KnownHostsFile(knownHosts) : new HostKeyTrust.OperatorKnownHosts();
        for (String[] dir : new String[][] {{"--prefix", prefix}, {"--root", root}}) {
            if (!dir[1].startsWith("/") || dir[1].contains("\n")) {
                throw new IllegalArgumentException(dir[0] + " must be an absolute path on the host: " + dir[1]);
            }
        }
        if (name != null && inventory == null) {
            throw new IllegalArgumentException("--name names a host of --inventory FILE, which is missing");
        }
        if (sshIdentity != null && !Files.isReadable(sshIdentity)) {
            throw new IllegalArgumentException("--ssh-identity " + sshIdentity + ": not found or not readable");
        }
        if (bundle != null && !Files.isRegularFile(bundle)) {
            throw new IllegalArgumentException("--bundle " + bundle + ": not found (expected the .tar.gz that "
                    + "agent/src/main/dist/build-bundle.sh makes)");
        }
        if (waitSeconds < 1 || connectTimeout < 1) {
            throw new IllegalArgumentException("--wait and --connect-timeout must be at least 1 second");
        }
        Workspace ws = new Workspace(state != null ? state : Workspace.defaultDir(), new StoreDir("/flotilla/store"));
        KeyPair operator = ws.identity(identity, notices);
        ws.signingKey(notices);
        String storeKey = Files.readString(ws.signingPublicKeyFile(), StandardCharsets.US_ASCII).strip();
        Path operatorPub = SshKeys.publicKeyFile(identity != null ? identity : ws.identityFile());
        String operatorLine = Files.isRegularFile(operatorPub) ? Files.readString(operatorPub).strip()
                : SshKeys.publicKeyLine(operator.getPublic(), "flotilla");
        return new Bootstrapper.Settings(target, Optional.ofNullable(sshIdentity), trust, sudo, stripSlash(prefix), root,
                agentBind, agentPort, agentAddress != null ? agentAddress : target.host(), noSystemd,
                Duration.ofSeconds(connectTimeout), Duration.ofSeconds(waitSeconds), operator, operatorLine, storeKey);
    }

    private static String stripSlash(String dir) {
        return dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
    }

    private void print(PrintStream out, BootstrapResult r) throws IOException {
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(r.json()));
            return;
        }
        out.println("bootstrapped " + r.target() + ": the agent (" + r.agentVersion() + ") answers on " + r.agentAddress() + ":" + r.agentPort());
        out.println("  started:  " + r.started() + r.pid().map(p -> " (pid " + p + ")").orElse("") + "; log " + r.log());
        out.println("  changed:  " + r.changed() + (r.uploaded() ? "" : " (bundle already there, not sent)"));
        out.println("  host key: " + r.hostKey());
        out.println("  fingerprint: " + r.fingerprint());
        r.inventoryHost().ifPresent(h -> out.println("  inventory: " + inventory + ": host " + h + (r.inventoryChanged()
                ? " now has this host_key and port " + r.agentPort() : " already had this host_key and port")));
    }
}
