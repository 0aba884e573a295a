package dev.flotilla.cli.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How the host's own OpenSSH server key is checked before anything is sent to it. Every variant keeps
 * OpenSSH's {@code StrictHostKeyChecking=yes}: there is no blind trust on first use.
 */
public sealed interface HostKeyTrust {

    /** OpenSSH options that enforce this trust, and a sentence saying what was trusted. */
    record Checked(List<String> sshOptions, String description) {
        public Checked {
            sshOptions = List.copyOf(sshOptions);
        }
    }

    /**
     * Resolves the trust for {@code target}; {@code workDir} is a private scratch directory for a
     * known_hosts file that lives as long as the bootstrap.
     */
    Checked check(SshTarget target, Path workDir, Duration timeout) throws BootstrapException, IOException;

    /** The operator's own known_hosts files, as plain {@code ssh} uses them. */
    record OperatorKnownHosts() implements HostKeyTrust {
        @Override
        public Checked check(SshTarget target, Path workDir, Duration timeout) {
            return new Checked(List.of("-o", "StrictHostKeyChecking=yes"),
                    "host key of " + target.host() + " checked against your known_hosts (ssh's defaults)");
        }
    }

    /** Only the keys in this known_hosts file. */
    record KnownHostsFile(Path file) implements HostKeyTrust {
        @Override
        public Checked check(SshTarget target, Path workDir, Duration timeout) throws BootstrapException {
            if (!Files.isReadable(file)) {
                throw new BootstrapException(BootstrapException.Kind.INVALID_INPUT, file + ": known_hosts file not found or not readable");
            }
            return new Checked(List.of("-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + file.toAbsolutePath(),
                    "-o", "GlobalKnownHostsFile=/dev/null"), "host key of " + target.host() + " checked against " + file);
        }
    }

    /**
     * The key whose SHA-256 fingerprint the operator gave (as {@code ssh-keygen -lf} prints it on the host).
     * The keys the host offers are read with ssh-keyscan; only the one with that fingerprint is written to a
     * private known_hosts, which ssh then enforces: a server that cannot prove it holds that key is refused.
     */
    record Fingerprint(String sha256) implements HostKeyTrust {

        private static final Pattern BASE64_SHA256 = Pattern.compile("[A-Za-z0-9+/]{43}");
        static final String ALIAS = "flotilla-bootstrap-target";

        public Fingerprint {
            String bare = sha256.startsWith("SHA256:") ? sha256.substring("SHA256:".length()) : sha256;
            bare = bare.endsWith("=") ? bare.substring(0, bare.length() - 1) : bare;
            if (!BASE64_SHA256.matcher(bare).matches()) {
                throw new IllegalArgumentException("--accept-host-key: '" + sha256 + "' is not a SHA256 fingerprint; expected "
                        + "SHA256:<43 base64 characters>, as 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub' prints it on the host");
            }
            sha256 = "SHA256:" + bare;
        }

        @Override
        public Checked check(SshTarget target, Path workDir, Duration timeout) throws BootstrapException, IOException {
            List<String> offered = new ArrayList<>();
            for (String line : keyscan(target, timeout)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 3 || f[0].startsWith("#")) {
                    continue;
                }
                String fp = fingerprintOf(f[2]);
                if (fp.equals(sha256)) {
                    Path knownHosts = workDir.resolve("known_hosts");
                    Files.writeString(knownHosts, ALIAS + " " + f[1] + " " + f[2] + "\n", StandardCharsets.US_ASCII);
                    return new Checked(List.of("-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                            "-o", "GlobalKnownHostsFile=/dev/null", "-o", "HostKeyAlias=" + ALIAS),
                            "trusting OpenSSH host key " + sha256 + " (" + f[1] + ") of " + target.host() + ", as --accept-host-key says");
                }
                offered.add(fp + " (" + f[1] + ")");
            }
            if (offered.isEmpty()) {
                throw new BootstrapException(BootstrapException.Kind.UNREACHABLE,
                        target.knownHostsName() + ": no SSH host key could be read (ssh-keyscan got no answer): is OpenSSH running there?");
            }
            throw new BootstrapException(BootstrapException.Kind.HOST_KEY_MISMATCH, target.knownHostsName()
                    + ": host key mismatch: the host offers " + String.join(", ", offered) + ", not " + sha256
                    + " given by --accept-host-key; nothing was sent to it");
        }

        private static List<String> keyscan(SshTarget target, Duration timeout) throws IOException, BootstrapException {
            List<String> cmd = List.of("ssh-keyscan", "-T", Long.toString(Math.max(1, timeout.toSeconds())),
                    "-p", Integer.toString(target.portOrDefault()), target.host());
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                throw new BootstrapException(BootstrapException.Kind.INVALID_INPUT,
                        "cannot run ssh-keyscan (OpenSSH client tools): " + e.getMessage(), e);
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running ssh-keyscan", e);
            }
            return out.lines().toList();
        }

        /** OpenSSH's fingerprint: base64 (no padding) of the SHA-256 of the key blob. */
        static String fingerprintOf(String base64Blob) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64Blob));
                return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            } catch (IllegalArgumentException e) {
                return "(unreadable key)";
            }
        }
    }
}
