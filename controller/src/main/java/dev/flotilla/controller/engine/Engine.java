package dev.flotilla.controller.engine;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.controller.config.ControllerConfig;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.Deployer;
import dev.flotilla.eval.EvalOptions;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The deploying side the controller runs the engine with: its store under the state directory, the
 * key that signs what it builds, and the SSH identity agents authorize. Keys are created on first
 * use and never overwritten.
 */
@ApplicationScoped
public class Engine {

    private static final Logger LOG = Logger.getLogger(Engine.class);

    /** Public keys to give the agents: {@code authorized_keys} and {@code --trusted-key}. */
    public record PublicKeys(String sshPublicKey, String storePublicKey) {}

    private final ControllerConfig config;
    private volatile Keys keys;

    private record Keys(LocalStore store, SigningKey signer, KeyPair identity, PublicKeys publicKeys) {}

    public Engine(ControllerConfig config) {
        this.config = config;
    }

    /** A deployer for one rollout. */
    public Deployer deployer(int parallelism, SwitchMode mode) {
        Keys k = keys();
        DeploySettings settings = new DeploySettings(k.store(), k.signer(), k.identity(), config.knownHosts(), parallelism,
                config.rollouts().connectTimeout(), mode);
        return new Deployer(settings, new Evaluator(EvalOptions.defaults()));
    }

    public PublicKeys publicKeys() {
        return keys().publicKeys();
    }

    public boolean pinsUnknownHosts() {
        return config.knownHosts().isPresent();
    }

    private Keys keys() {
        Keys k = keys;
        if (k == null) {
            synchronized (this) {
                if (keys == null) {
                    keys = load();
                }
                k = keys;
            }
        }
        return k;
    }

    private Keys load() {
        Path dir = config.stateDir().toAbsolutePath();
        try {
            Path keyDir = Files.createDirectories(dir.resolve("keys"));
            Path sec = keyDir.resolve("store-signing.sec");
            Path pub = keyDir.resolve("store-signing.pub");
            SigningKey signer;
            if (Files.exists(sec)) {
                signer = SigningKey.read(sec);
            } else {
                signer = SigningKey.generate("flotilla-controller-1");
                signer.write(sec, pub);
                LOG.infof("created store signing key %s; agents must trust %s", sec, pub);
            }
            Path id = keyDir.resolve("id_ed25519");
            boolean fresh = !Files.exists(id);
            KeyPair identity = SshKeys.loadOrGenerate(id, "flotilla-controller");
            if (fresh) {
                LOG.infof("created SSH identity %s; agents must authorize %s.pub", id, id);
            }
            LocalStore store = new LocalStore(Files.createDirectories(dir.resolve("root")), new StoreDir(config.storeDir()));
            PublicKeys publicKeys = new PublicKeys(Files.readString(Path.of(id + ".pub")).trim(), Files.readString(pub).trim());
            return new Keys(store, signer, identity, publicKeys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the controller's state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Where relative rollout configuration paths are looked up. */
    public Optional<Path> fleetDir() {
        return config.fleetDir();
    }
}
