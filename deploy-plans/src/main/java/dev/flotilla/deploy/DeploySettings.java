package dev.flotilla.deploy;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.SigningKey;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach and trust the fleet.
 *
 * @param store       the deploying side's store, where systems are built
 * @param signer      signs every path built, so agents accept it
 * @param identity    the SSH key the agents authorize
 * @param knownHosts  an OpenSSH known_hosts file, for hosts whose inventory entry has no {@code host_key}
 * @param parallelism how many hosts are copied to and switched at once
 */
public record DeploySettings(
        LocalStore store,
        SigningKey signer,
        KeyPair identity,
        Optional<Path> knownHosts,
        int parallelism,
        Duration connectTimeout,
        SwitchMode mode) {

    public DeploySettings {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
    }
}
