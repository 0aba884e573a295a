package dev.flotilla.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.RolloutReport;
import dev.flotilla.deploy.Rollouts;
import dev.flotilla.deploy.Step;
import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.deploy.rollout.RolloutListener;
import dev.flotilla.inventory.InventoryLoader;
import dev.flotilla.store.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents trust only what they were told to: one client key, one store key; clients trust only pinned host keys. */
class TrustTest {

    @Test
    void agentsRefuseUnknownClientKeysUnpinnedHostKeysAndUnsignedPaths(@TempDir Path dir) throws Exception {
        try (FleetFixture f = new FleetFixture(dir, List.of("solo"), Map.of())) {
            var inventory = InventoryLoader.load(f.inventory);
            Path config = f.fleetDir.resolve("host.nix");

            Path strangerKey = dir.resolve("stranger");
            SshKeys.generate(strangerKey, "stranger");
            RolloutReport stranger = rollouts(f, f.signer, SshKeys.load(strangerKey), config).deploy(inventory, RolloutListener.NONE);
            HostRecord refused = stranger.host("solo");
            assertEquals(HostRecord.Result.FAILED, refused.result(), refused::toString);
            assertEquals(Optional.of(Step.CONNECT), refused.failedStep(), refused::toString);
            assertEquals(0, f.fleet.currentGeneration("solo"));

            // The same agent, but the inventory pins some other host key.
            Path otherHostKey = dir.resolve("other-host");
            SshKeys.generate(otherHostKey, "other");
            String pinned = Files.readString(Path.of(otherHostKey + ".pub")).trim();
            Path wrongPin = dir.resolve("wrong-pin.yaml");
            Files.writeString(wrongPin, Files.readString(f.inventory).replaceFirst("host_key: \"[^\"]*\"", "host_key: \"" + pinned + "\""));
            RolloutReport impostor = rollouts(f, f.signer, SshKeys.load(f.identityFile), config)
                    .deploy(InventoryLoader.load(wrongPin), RolloutListener.NONE);
            HostRecord mismatch = impostor.host("solo");
            assertEquals(HostRecord.Result.FAILED, mismatch.result(), mismatch::toString);
            assertEquals(Optional.of(Step.CONNECT), mismatch.failedStep(), mismatch::toString);
            assertTrue(mismatch.failure().contains("does not match the pinned key"), mismatch.failure());

            // Signed by a key the agent does not trust: refused at copy time, nothing switched.
            RolloutReport unsigned = rollouts(f, SigningKey.generate("rogue-1"), SshKeys.load(f.identityFile), config)
                    .deploy(inventory, RolloutListener.NONE);
            HostRecord untrusted = unsigned.host("solo");
            assertEquals(HostRecord.Result.FAILED, untrusted.result(), untrusted::toString);
            assertEquals(Optional.of(Step.COPY), untrusted.failedStep(), untrusted::toString);
            assertEquals(0, f.fleet.currentGeneration("solo"));
        }
    }

    private static Rollouts rollouts(FleetFixture f, SigningKey signer, java.security.KeyPair identity, Path config) throws Exception {
        // A separate store, so that paths signed by another key are really re-signed.
        var store = new dev.flotilla.store.LocalStore(Files.createDirectories(f.dir.resolve("store-" + signer.name() + "-"
                + Integer.toHexString(identity.getPublic().hashCode()))), new dev.flotilla.store.StoreDir("/flotilla/store"));
        DeploySettings settings = new DeploySettings(store, signer, identity, Optional.empty(), 2, Duration.ofSeconds(5), SwitchMode.SWITCH);
        return FleetFixture.rollouts(settings, config);
    }
}
