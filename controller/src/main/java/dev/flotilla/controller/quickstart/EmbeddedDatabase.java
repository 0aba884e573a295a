package dev.flotilla.controller.quickstart;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Quick start: a PostgreSQL the controller runs itself, its data kept in the state directory so that
 * history and in-flight rollouts survive a restart. Not for production.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final String URL_PROPERTY = "quarkus.datasource.jdbc.url";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static boolean configured() {
        return present(System.getProperty(URL_PROPERTY)) || present(System.getenv("QUARKUS_DATASOURCE_JDBC_URL"));
    }

    static EmbeddedDatabase start() {
        Path dir = stateDir().resolve("postgres");
        try {
            Files.createDirectories(dir);
            // Its own progress is noise here; problems still show.
            java.util.logging.Logger.getLogger("io.zonky").setLevel(java.util.logging.Level.WARNING);
            stopOrphan(dir);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .start();
            String url = pg.getJdbcUrl("postgres", "postgres");
            System.setProperty(URL_PROPERTY, url);
            System.setProperty("quarkus.datasource.username", "postgres");
            System.setProperty("quarkus.datasource.password", "");
            System.out.println("Flotilla controller: no database configured (" + URL_PROPERTY + "), so it runs on an embedded"
                    + " PostgreSQL at " + url + " with its data in " + dir + ".");
            System.out.println("  For production, point QUARKUS_DATASOURCE_JDBC_URL, _USERNAME and _PASSWORD at a real server.");
            return new EmbeddedDatabase(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A controller killed without a chance to stop its database leaves that PostgreSQL running on the
     * data directory; stop it, so that this run can start its own there.
     */
    private static void stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
        } catch (RuntimeException e) {
            return;
        }
        ProcessHandle.of(pid).filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false)).ifPresent(p -> {
            System.out.println("Flotilla controller: stopping the embedded PostgreSQL (pid " + pid + ") a previous run left behind.");
            p.destroy();
            try {
                p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }

    private static Path stateDir() {
        String dir = System.getProperty("flotilla.state-dir");
        if (!present(dir)) {
            dir = System.getenv("FLOTILLA_STATE_DIR");
        }
        return present(dir) ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".local", "state", "flotilla-controller");
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("could not stop the embedded PostgreSQL: " + e.getMessage());
        }
    }
}
