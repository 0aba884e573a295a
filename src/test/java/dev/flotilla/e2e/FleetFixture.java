package dev.flotilla.e2e;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.cli.LocalFleet;
import dev.flotilla.deploy.DeployListener;
import dev.flotilla.deploy.DeployReport;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.Deployer;
import dev.flotilla.eval.EvalOptions;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.inventory.InventoryLoader;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A deploying side (store, keys) and a fleet of real agent processes, in one scratch directory. */
final class FleetFixture implements AutoCloseable {

    final Path dir;
    final Path fleetDir;
    final Path inventory;
    final LocalStore store;
    final SigningKey signer;
    final Path identityFile;
    final LocalFleet fleet;

    FleetFixture(Path dir, List<String> hosts, Map<String, Map<String, Object>> vars) throws IOException {
        this.dir = dir;
        this.fleetDir = Files.createDirectories(dir.resolve("fleet"));
        for (String f : List.of("host.nix", "host-v2.nix")) {
            try (InputStream in = FleetFixture.class.getResourceAsStream("/fleet/" + f)) {
                Files.copy(in, fleetDir.resolve(f));
            }
        }
        Path keys = Files.createDirectories(dir.resolve("keys"));
        identityFile = keys.resolve("id_ed25519");
        SshKeys.generate(identityFile);
        signer = SigningKey.generate("e2e-1");
        signer.write(keys.resolve("store.sec"), keys.resolve("store.pub"));
        store = new LocalStore(Files.createDirectories(dir.resolve("deployer-root")), new StoreDir("/flotilla/store"));
        fleet = LocalFleet.start(dir.resolve("hosts"), hosts, Path.of(identityFile + ".pub"), keys.resolve("store.pub"));
        inventory = fleetDir.resolve("inventory.yaml");
        fleet.writeInventory(inventory, vars, Map.of());
    }

    DeployReport deploy(String config) throws Exception {
        DeploySettings settings = new DeploySettings(store, signer, SshKeys.load(identityFile), Optional.empty(), 4,
                Duration.ofSeconds(10), SwitchMode.SWITCH);
        return new Deployer(settings, new Evaluator(EvalOptions.defaults()))
                .deploy(InventoryLoader.load(inventory), fleetDir.resolve(config), DeployListener.NONE);
    }

    @Override
    public void close() {
        fleet.close();
    }
}
