package dev.flotilla.controller.ha;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A controller replica in its own process, started from the built {@code target/quarkus-app} against
 * the test database, as Kubernetes would run it: its own name, port and state directory, sharing
 * only PostgreSQL with the other replicas.
 */
final class ControllerProcess implements AutoCloseable {

    static final Path APP = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    /** Same value as {@code %test.flotilla.auth.bootstrap-token}: an admin token in the test database. */
    static final String TOKEN = "flotilla-test-admin-token-0123456789";

    final String name;
    final int port;
    final Path log;
    private final Process process;

    private ControllerProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static ControllerProcess start(String name, Path dir, Duration lease) throws IOException {
        int port = freePort();
        Path state = Files.createDirectories(dir.resolve(name));
        Path log = dir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/flotilla_test",
                "-Dquarkus.datasource.username=flotilla", "-Dquarkus.datasource.password=flotilla",
                "-Dquarkus.datasource.jdbc.max-size=8",
                "-Dflotilla.instance-id=" + name,
                "-Dflotilla.state-dir=" + state,
                "-Dflotilla.auth.bootstrap-token=" + TOKEN,
                "-Dflotilla.rollouts.lease=" + lease.toMillis() + "ms",
                "-Dflotilla.rollouts.sweep-every=1s",
                "-Dflotilla.rollouts.max-concurrent=8",
                "-Dquarkus.log.category.\"dev.flotilla\".level=DEBUG",
                "-jar", APP.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ControllerProcess(name, port, log, p);
    }

    /** Waits until the replica is ready (database migrated, API up). */
    ControllerProcess awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                if (given().port(port).get("/q/health/ready").statusCode() == 200) {
                    return this;
                }
            } catch (Exception e) {
                // not listening yet (REST Assured throws the ConnectException unchecked)
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + tail());
    }

    RequestSpecification api() {
        return given().port(port).auth().oauth2(TOKEN);
    }

    /** SIGKILL: no shutdown hook runs, no lease is released. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
