package dev.flotilla.controller.engine;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.controller.config.ControllerConfig;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.NixFileSource;
import dev.flotilla.deploy.SystemSource;
import dev.flotilla.deploy.rollout.HostAgent;
import dev.flotilla.deploy.rollout.SshAgents;
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
 * key that signs what it builds, and the SSH identity agents authorize. Keys come from configured
 * files, or from the database, where the first replica to need them creates them (see
 * {@link ControllerConfig.Keys}); they are never overwritten.
 */
@ApplicationScoped
public class Engine {

    private static final Logger LOG = Logger.getLogger(Engine.class);

    /** Public keys to give the agents: {@code authorized_keys} and {@code --trusted-key}. */
    public record PublicKeys(String sshPublicKey, String storePublicKey) {}

    private final ControllerConfig config;
    private final ControllerKeyStore keyStore;
    private volatile Keys keys;

    private record Keys(LocalStore store, SigningKey signer, KeyPair identity, PublicKeys publicKeys) {}

    public Engine(ControllerConfig config, ControllerKeyStore keyStore) {
        this.config = config;
        this.keyStore = keyStore;
    }

    /** How one rollout reaches and trusts its hosts. */
    public DeploySettings settings(int parallelism, SwitchMode mode) {
        Keys k = keys();
        return new DeploySettings(k.store(), k.signer(), k.identity(), config.knownHosts(), parallelism,
                config.rollouts().connectTimeout(), mode);
    }

    /** Builds each host's system from one configuration file into this replica's store, signed. */
    public SystemSource source(Path configFile) {
        Keys k = keys();
        return new NixFileSource(configFile, new Evaluator(EvalOptions.defaults()), k.store(), k.signer());
    }

    /** Reaches agents over SSH. */
    public HostAgent.Connector agents(DeploySettings settings) {
        return new SshAgents(settings);
    }

    /** The store systems are built into (closure diffs read it). */
    public LocalStore store() {
        return keys().store();
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
            Path keyDir = dir.resolve("keys");
            SigningKey signer = signingKey(keyDir.resolve("store-signing.sec"));
            KeyPair identity = sshIdentity(keyDir.resolve("id_ed25519"));
            LocalStore store = new LocalStore(Files.createDirectories(dir.resolve("root")), new StoreDir(config.storeDir()));
            PublicKeys publicKeys = new PublicKeys(SshKeys.publicKeyLine(identity.getPublic(), "flotilla-controller"),
                    signer.publicKey().format());
            return new Keys(store, signer, identity, publicKeys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the controller's keys and store in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The configured file; else one an earlier version created in the state directory; else the database's. */
    private SigningKey signingKey(Path legacy) throws IOException {
        String name = config.keys().signingKeyName();
        Optional<Path> file = config.keys().signingKey().or(() -> Optional.of(legacy).filter(Files::exists));
        if (file.isPresent()) {
            LOG.infof("store signing key: %s", file.get());
            return KeyMaterial.signingKey(Files.readString(file.get()), name, file.get().toString());
        }
        String text = keyStore.getOrCreate("store-signing", replicaName(), () -> SigningKey.generate(name).format());
        return KeyMaterial.signingKey(text, name, "the database's store-signing key");
    }

    private KeyPair sshIdentity(Path legacy) throws IOException {
        Optional<Path> file = config.keys().sshIdentity().or(() -> Optional.of(legacy).filter(Files::exists));
        if (file.isPresent()) {
            LOG.infof("SSH identity: %s", file.get());
            return KeyMaterial.sshIdentity(Files.readString(file.get()), file.get().toString());
        }
        String text = keyStore.getOrCreate("ssh-identity", replicaName(), () -> KeyMaterial.newSshIdentity("flotilla-controller"));
        return KeyMaterial.sshIdentity(text, "the database's ssh-identity key");
    }

    private String replicaName() {
        return config.instanceId().orElse("controller");
    }

    /** Where relative rollout configuration paths are looked up. */
    public Optional<Path> fleetDir() {
        return config.fleetDir();
    }
}
