package dev.flotilla.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.deploy.DeployListener;
import dev.flotilla.deploy.DeployReport;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.Deployer;
import dev.flotilla.deploy.HostResult;
import dev.flotilla.deploy.Stage;
import dev.flotilla.eval.EvalOptions;
import dev.flotilla.eval.Evaluator;
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
            DeployReport stranger = deployer(f, f.signer, SshKeys.load(strangerKey)).deploy(inventory, config, DeployListener.NONE);
            HostResult.Failed refused = assertInstanceOf(HostResult.Failed.class, stranger.result("solo"));
            assertEquals(Stage.CONNECT, refused.stage());
            assertEquals(0, f.fleet.currentGeneration("solo"));

            // The same agent, but the inventory pins some other host key.
            Path otherHostKey = dir.resolve("other-host");
            SshKeys.generate(otherHostKey, "other");
            String pinned = Files.readString(Path.of(otherHostKey + ".pub")).trim();
            Path wrongPin = dir.resolve("wrong-pin.yaml");
            Files.writeString(wrongPin, Files.readString(f.inventory).replaceFirst("host_key: \"[^\"]*\"", "host_key: \"" + pinned + "\""));
            DeployReport impostor = deployer(f, f.signer, SshKeys.load(f.identityFile))
                    .deploy(InventoryLoader.load(wrongPin), config, DeployListener.NONE);
            HostResult.Failed mismatch = assertInstanceOf(HostResult.Failed.class, impostor.result("solo"));
            assertEquals(Stage.CONNECT, mismatch.stage());
            assertTrue(mismatch.reason().contains("does not match the pinned key"), mismatch.reason());

            // Signed by a key the agent does not trust: refused at copy time, nothing switched.
            DeployReport unsigned = deployer(f, SigningKey.generate("rogue-1"), SshKeys.load(f.identityFile))
                    .deploy(inventory, config, DeployListener.NONE);
            HostResult.Failed untrusted = assertInstanceOf(HostResult.Failed.class, unsigned.result("solo"));
            assertEquals(Stage.COPY, untrusted.stage());
            assertEquals(0, f.fleet.currentGeneration("solo"));
        }
    }

    private static Deployer deployer(FleetFixture f, SigningKey signer, java.security.KeyPair identity) throws Exception {
        // A separate store, so that paths signed by another key are really re-signed.
        var store = new dev.flotilla.store.LocalStore(Files.createDirectories(f.dir.resolve("store-" + signer.name() + "-"
                + Integer.toHexString(identity.getPublic().hashCode()))), new dev.flotilla.store.StoreDir("/flotilla/store"));
        DeploySettings settings = new DeploySettings(store, signer, identity, Optional.empty(), 2, Duration.ofSeconds(5), SwitchMode.SWITCH);
        return new Deployer(settings, new Evaluator(EvalOptions.defaults()));
    }
}
