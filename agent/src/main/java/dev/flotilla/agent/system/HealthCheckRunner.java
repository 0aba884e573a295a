package dev.flotilla.agent.system;

import dev.flotilla.agent.CheckResult;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a system's health checks with their retries, intervals and timeouts. */
public final class HealthCheckRunner {
    private static final int MAX_OUTPUT = 4096;

    private final Path root;

    /** @param root the physical root R (cwd and {@code FLOTILLA_ROOT} of command checks) */
    public HealthCheckRunner(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Runs every check in manifest order; {@code system} is the physical toplevel directory. */
    public List<CheckResult> runAll(Manifest manifest, Path system) {
        List<CheckResult> results = new ArrayList<>();
        for (HealthCheck check : manifest.healthChecks()) {
            results.add(run(check, system));
        }
        return results;
    }

    public CheckResult run(HealthCheck check, Path system) {
        long start = System.nanoTime();
        Attempt last = null;
        int attempts = 0;
        while (attempts < check.policy().attempts()) {
            if (attempts > 0 && !sleep(check.policy().interval().toMillis())) {
                break;
            }
            attempts++;
            last = attempt(check, system);
            if (last.healthy()) {
                break;
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new CheckResult(check.name(), last != null && last.healthy(), attempts,
                last == null ? "interrupted" : last.output(), millis);
    }

    private record Attempt(boolean healthy, String output) {
    }

    private Attempt attempt(HealthCheck check, Path system) {
        try {
            return switch (check) {
                case HealthCheck.Command c -> command(c, system);
                case HealthCheck.Http h -> http(h);
                case HealthCheck.Tcp t -> tcp(t);
            };
        } catch (IOException e) {
            return new Attempt(false, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(false, "interrupted");
        }
    }

    private Attempt command(HealthCheck.Command check, Path system) throws IOException {
        Shell.Outcome run = Shell.run(check.command(), root,
                Map.of("FLOTILLA_ROOT", root.toString(), "FLOTILLA_SYSTEM", system.toString()), check.policy().timeout());
        if (run.timedOut()) {
            return new Attempt(false, "timed out after " + check.policy().timeout().toSeconds() + "s" + suffix(run.output()));
        }
        return new Attempt(run.ok(), run.ok() ? run.output() : "exit " + run.exit() + suffix(run.output()));
    }

    private static Attempt http(HealthCheck.Http check) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(check.policy().timeout()).build();
        try (client) {
            HttpRequest request = HttpRequest.newBuilder(check.url()).timeout(check.policy().timeout()).GET().build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body() == null ? "" : response.body();
            if (response.statusCode() != check.expectStatus()) {
                return new Attempt(false, "HTTP " + response.statusCode() + ", expected " + check.expectStatus() + suffix(trim(body)));
            }
            if (check.expectBody().isPresent() && !body.contains(check.expectBody().get())) {
                return new Attempt(false, "HTTP " + response.statusCode() + " but the body lacks '" + check.expectBody().get() + "'");
            }
            return new Attempt(true, "HTTP " + response.statusCode());
        }
    }

    private static Attempt tcp(HealthCheck.Tcp check) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(check.host(), check.port()), (int) check.policy().timeout().toMillis());
            return new Attempt(true, "connected to " + check.host() + ":" + check.port());
        }
    }

    private static String suffix(String output) {
        return output.isEmpty() ? "" : ": " + output;
    }

    private static String trim(String text) {
        String t = text.strip();
        return t.length() <= MAX_OUTPUT ? t : "…" + t.substring(t.length() - MAX_OUTPUT);
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
