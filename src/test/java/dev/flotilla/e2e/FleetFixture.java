package dev.flotilla.e2e;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.cli.LocalFleet;
import dev.flotilla.cli.Workspace;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.NixFileSource;
import dev.flotilla.deploy.RolloutReport;
import dev.flotilla.deploy.Rollouts;
import dev.flotilla.deploy.rollout.RolloutListener;
import dev.flotilla.eval.EvalOptions;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.inventory.InventoryLoader;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
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
    final Path state;
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
        // The deploying side is a CLI workspace, so tests can drive the real `flotilla` command too.
        state = dir.resolve("state");
        Workspace ws = new Workspace(state, new StoreDir("/flotilla/store"));
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        signer = ws.signingKey(quiet);
        ws.identity(null, quiet);
        identityFile = ws.identityFile();
        store = ws.store();
        fleet = LocalFleet.start(dir.resolve("hosts"), hosts, Path.of(identityFile + ".pub"), ws.signingPublicKeyFile());
        inventory = fleetDir.resolve("inventory.yaml");
        fleet.writeInventory(inventory, vars, Map.of());
    }

    /** Every host at once, through the rollout engine, with this fixture's store and keys. */
    RolloutReport deploy(String config) throws Exception {
        DeploySettings settings = new DeploySettings(store, signer, SshKeys.load(identityFile), Optional.empty(), 4,
                Duration.ofSeconds(10), SwitchMode.SWITCH);
        return rollouts(settings, fleetDir.resolve(config)).deploy(InventoryLoader.load(inventory), RolloutListener.NONE);
    }

    /** The engine over SSH with {@code settings}, building {@code config} into the settings' store. */
    static Rollouts rollouts(DeploySettings settings, Path config) {
        return new Rollouts(settings, new NixFileSource(config, new Evaluator(EvalOptions.defaults()), settings.store(), settings.signer()));
    }

    @Override
    public void close() {
        fleet.close();
    }
}
