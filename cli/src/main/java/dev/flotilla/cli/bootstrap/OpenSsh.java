package dev.flotilla.cli.bootstrap;

import dev.flotilla.cli.bootstrap.BootstrapException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Commands on a host through the system's OpenSSH client: key-only ({@code BatchMode}, no password or
 * keyboard-interactive), the host key enforced as {@link HostKeyTrust} says, and one multiplexed
 * connection ({@code ControlMaster}) for all of a bootstrap's commands. ssh's own failures become
 * {@link BootstrapException}s of the matching kind.
 */
final class OpenSsh implements AutoCloseable {

    /** What one remote command did. */
    record Result(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }
    }

    private final SshTarget target;
    private final List<String> baseArgs;
    private final boolean sudo;

    OpenSsh(SshTarget target, Optional<Path> identity, HostKeyTrust.Checked trust, Duration connectTimeout, Path controlDir, boolean sudo) {
        this.target = target;
        this.sudo = sudo;
        List<String> a = new ArrayList<>(List.of("ssh",
                "-o", "BatchMode=yes", "-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no",
                "-o", "ConnectTimeout=" + Math.max(1, connectTimeout.toSeconds()), "-o", "LogLevel=ERROR",
                "-o", "ControlMaster=auto", "-o", "ControlPath=" + controlDir.resolve("cm"), "-o", "ControlPersist=120"));
        a.addAll(trust.sshOptions());
        identity.ifPresent(i -> a.addAll(List.of("-i", i.toString(), "-o", "IdentitiesOnly=yes")));
        target.port().ifPresent(p -> a.addAll(List.of("-p", p.toString())));
        target.user().ifPresent(u -> a.addAll(List.of("-l", u)));
        a.add(target.host());
        this.baseArgs = List.copyOf(a);
    }

    /** Runs {@code script} with {@code sh -c} on the host (through {@code sudo -n} if asked), feeding it {@code stdin}. */
    Result run(String script, Optional<Path> stdin) throws IOException {
        String sh = "sh -c " + quote(script);
        List<String> cmd = new ArrayList<>(baseArgs);
        cmd.add(sudo ? "sudo -n " + sh : sh);
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin.isPresent()) {
                Files.copy(stdin.get(), in);
            }
        } catch (IOException e) {
            // The remote side closed its input early (its error output says why): reported below.
        }
        try {
            int exit = p.waitFor();
            return new Result(exit, new String(out.join(), StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running ssh", e);
        }
    }

    /** {@link #run} that fails with a classified {@link BootstrapException} unless the command exits 0. */
    Result check(String what, String script, Optional<Path> stdin) throws IOException, BootstrapException {
        Result r = run(script, stdin);
        if (!r.ok()) {
            throw failure(what, r);
        }
        return r;
    }

    /** Turns a failed command into the error people need: unreachable, refused, wrong host key, no space, or the host's own words. */
    BootstrapException failure(String what, Result r) {
        String err = r.err().strip();
        String lower = err.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left on device")) {
            return new BootstrapException(Kind.NO_SPACE, target + ": no space left on the host while " + what + ":\n" + err);
        }
        if (r.exit() == 255) {
            if (lower.contains("host key verification failed") || lower.contains("remote host identification has changed")
                    || lower.contains("host key for") || lower.contains("no matching host key")) {
                return new BootstrapException(Kind.HOST_KEY_MISMATCH, target + ": host key verification failed: the host's OpenSSH key is "
                        + "not the one pinned (or none is pinned for it); pass --known-hosts FILE or --accept-host-key SHA256:… "
                        + "(run 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub' on the host to see it). ssh said:\n" + err);
            }
            if (lower.contains("permission denied")) {
                return new BootstrapException(Kind.AUTH_REFUSED, target + ": authentication refused (keys only, no passwords): "
                        + "is your key (--ssh-identity FILE, ssh-agent or ~/.ssh) in the user's authorized_keys? ssh said:\n" + err);
            }
            if (lower.contains("connection refused") || lower.contains("timed out") || lower.contains("no route to host")
                    || lower.contains("could not resolve") || lower.contains("network is unreachable")
                    || lower.contains("connection closed") || lower.contains("connection reset")) {
                return new BootstrapException(Kind.UNREACHABLE, target + ": unreachable over SSH: " + err);
            }
        }
        if (sudo && lower.contains("sudo") && (lower.contains("password") || lower.contains("not in the sudoers"))) {
            return new BootstrapException(Kind.AUTH_REFUSED, target + ": sudo -n refused (it needs passwordless sudo): " + err);
        }
        return new BootstrapException(Kind.REMOTE_FAILED, target + ": " + what + " failed (exit " + r.exit() + ")"
                + (err.isEmpty() ? "" : ":\n" + err) + (r.out().isBlank() ? "" : "\n" + r.out().strip()));
    }

    /** Ends the shared connection; harmless when none was opened. */
    @Override
    public void close() {
        List<String> cmd = new ArrayList<>(baseArgs.subList(0, baseArgs.size() - 1));
        cmd.addAll(List.of("-O", "exit", target.host()));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            p.waitFor();
        } catch (IOException e) {
            // Nothing to close.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One POSIX shell word. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        // A thread each: the common pool may have a single worker, and stdout and stderr must be read at once.
        CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                bytes.complete(in.readAllBytes());
            } catch (IOException e) {
                bytes.complete(new byte[0]);
            }
        });
        return bytes;
    }
}
