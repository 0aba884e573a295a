package dev.flotilla.controller.quickstart;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The controller's entry point. With no database configured ({@code quarkus.datasource.jdbc.url} or
 * {@code QUARKUS_DATASOURCE_JDBC_URL}), it first starts an embedded PostgreSQL and says so.
 */
@QuarkusMain
public final class ControllerMain {

    private ControllerMain() {}

    public static void main(String... args) {
        EmbeddedDatabase db = null;
        if (LaunchMode.current() == LaunchMode.NORMAL && !EmbeddedDatabase.configured()) {
            db = EmbeddedDatabase.start();
        }
        try {
            Quarkus.run(args);
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }
}
