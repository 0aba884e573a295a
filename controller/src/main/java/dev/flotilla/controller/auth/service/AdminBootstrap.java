package dev.flotilla.controller.auth.service;

import dev.flotilla.controller.config.ControllerConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.PrintStream;

/** On start, makes sure an admin token exists; a newly created one is printed once, and never again. */
@ApplicationScoped
public class AdminBootstrap {

    private final TokenService tokens;
    private final ControllerConfig config;

    public AdminBootstrap(TokenService tokens, ControllerConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        tokens.ensureAdmin(config.auth().bootstrapToken()).ifPresent(created -> {
            PrintStream out = System.out;
            out.println();
            out.println("Flotilla controller: created the admin API token '" + created.name() + "'. It is shown only this once:");
            out.println();
            out.println("    " + created.secret());
            out.println();
            out.println("Use it as 'Authorization: Bearer <token>'; create other tokens with POST /api/v1/tokens.");
            out.println();
            out.flush();
        });
    }
}
