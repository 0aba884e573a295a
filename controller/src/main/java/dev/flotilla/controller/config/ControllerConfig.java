package dev.flotilla.controller.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The controller's own settings, under {@code flotilla.*}. */
@ConfigMapping(prefix = "flotilla")
public interface ControllerConfig {

    /** The controller's state: its store (where systems are built) and its keys, created on first use. */
    @WithDefault("${user.home}/.local/state/flotilla-controller")
    Path stateDir();

    /** The logical store directory, identical on the controller and every host. */
    @WithDefault("/flotilla/store")
    String storeDir();

    /** Base folder for relative {@code configPath}s of rollouts; absolute paths are used as they are. */
    Optional<Path> fleetDir();

    /** An OpenSSH known_hosts file pinning the keys of hosts whose inventory entry has no host key. */
    Optional<Path> knownHosts();

    /** This replica's name in rollout leases. A restarted replica with the same name takes its rollouts back at once. */
    Optional<String> instanceId();

    Auth auth();

    Rollouts rollouts();

    interface Auth {
        /**
         * A token to make sure exists as an admin token named {@code bootstrap} (from a secret, or in tests).
         * Without it, the first start with no admin token creates one and prints it once.
         */
        Optional<String> bootstrapToken();
    }

    interface Rollouts {
        /** SSH connect timeout towards the agents. */
        @WithDefault("10s")
        Duration connectTimeout();

        /** Hosts deployed at once when a rollout does not say. */
        @WithDefault("10")
        int defaultParallelism();

        /** Rollouts this replica drives at once; more wait in PENDING. */
        @WithDefault("4")
        int maxConcurrent();

        /** How long a replica's claim on a rollout lasts without being renewed. */
        @WithDefault("30s")
        Duration lease();

        /** How often leases are renewed and abandoned rollouts looked for (a scheduler expression). */
        @WithDefault("10s")
        String sweepEvery();
    }
}
