package dev.flotilla.e2e.bootstrap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server on a loopback port, run as the test's own user with its own config: key-only,
 * one authorized key, no PAM. Stands in for a freshly provisioned host's sshd.
 */
final class OpenSshServer implements AutoCloseable {

    static final Path SSHD = Path.of("/usr/sbin/sshd");

    final int port;
    final Path hostKey;
    final Path clientKey;
    final String user = System.getProperty("user.name");
    private final Process process;

    static boolean available() {
        return Files.isExecutable(SSHD) && onPath("ssh") && onPath("ssh-keyscan") && onPath("ssh-keygen");
    }

    OpenSshServer(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        hostKey = dir.resolve("ssh_host_ed25519_key");
        clientKey = dir.resolve("client_key");
        keygen(hostKey);
        keygen(clientKey);
        port = freePort();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + clientKey + ".pub",
                "PidFile " + dir.resolve("sshd.pid"),
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                ""));
        try {
            Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory, needed when run as root
        } catch (IOException e) {
            // Not root: sshd does not use it then.
        }
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")), e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** The host key's fingerprint as {@code ssh-keygen -lf} prints it. */
    String fingerprint() throws IOException, InterruptedException {
        return run(List.of("ssh-keygen", "-lf", hostKey + ".pub")).split("\\s+")[1];
    }

    String target() {
        return user + "@127.0.0.1:" + port;
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    private static void keygen(Path file) throws IOException, InterruptedException {
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", file.toString()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
