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

    Keys keys();

    Rollouts rollouts();

    Fleets fleets();

    interface Fleets {
        /** Largest fleet folder (its files, and its packed or uploaded archive) a revision may pin, in bytes. */
        @WithDefault("67108864")
        long maxBytes();

        /** Hosts of one build evaluated and built at once. */
        @WithDefault("4")
        int buildParallelism();
    }

    /**
     * The controller's private keys. Every replica must use the same two, since agents accept only
     * them. Files given here win (a Kubernetes secret, say); else keys an earlier version left in
     * {@code <state-dir>/keys} are used; else they are kept in the database, generated once by the
     * first replica to start, and shared by all.
     */
    interface Keys {
        /** The SSH identity agents authorize: an OpenSSH or PEM (PKCS#8) ed25519 private key file. */
        Optional<Path> sshIdentity();

        /** The store signing key: Nix's {@code name:base64} secret key format, or a PEM (PKCS#8) ed25519 private key. */
        Optional<Path> signingKey();

        /** The key name agents see in signatures when the signing key is PEM or generated. */
        @WithDefault("flotilla-controller-1")
        String signingKeyName();
    }

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
