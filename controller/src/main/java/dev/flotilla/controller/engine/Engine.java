package dev.flotilla.controller.engine;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.controller.config.ControllerConfig;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.NixFileSource;
import dev.flotilla.controller.fleet.service.FleetService;
import dev.flotilla.deploy.fleet.FleetConfig;
import dev.flotilla.deploy.fleet.FleetSource;
import dev.flotilla.store.build.DerivationBuilder;
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
    private final FleetService fleets;
    private volatile Keys keys;

    private record Keys(LocalStore store, SigningKey signer, KeyPair identity, PublicKeys publicKeys) {}

    public Engine(ControllerConfig config, ControllerKeyStore keyStore, FleetService fleets) {
        this.config = config;
        this.fleets = fleets;
        this.keyStore = keyStore;
    }

    /** How one rollout reaches and trusts its hosts. */
    public DeploySettings settings(int parallelism, SwitchMode mode) {
        Keys k = keys();
        return new DeploySettings(k.store(), k.signer(), k.identity(), config.knownHosts(), parallelism,
                config.rollouts().connectTimeout(), mode);
    }

    /** A rollout's {@code configPath} for a fleet revision: its content hash, which any replica can unpack. */
    public static String revisionSource(String contentHash) {
        return REVISION + contentHash;
    }

    private static final String REVISION = "fleet-content:";

    /**
     * Builds each host's system into this replica's store, signed: from one configuration file, or
     * from a fleet revision's content ({@link #revisionSource}); close the latter when done.
     */
    public SystemSource source(String configPath) {
        Keys k = keys();
        if (configPath.startsWith(REVISION)) {
            Path dir = fleets.unpacked(configPath.substring(REVISION.length()));
            return new FleetRevisionSource(FleetConfig.load(dir, fleetOptions(null)), k.store(), k.signer());
        }
        return new NixFileSource(Path.of(configPath), new Evaluator(EvalOptions.defaults()), k.store(), k.signer());
    }

    /** How fleets are evaluated and built here: into this store's directory; {@code progress} hears derivation builds. */
    public FleetConfig.Options fleetOptions(DerivationBuilder.Progress progress) {
        return FleetConfig.Options.defaults().withStoreDir(config.storeDir()).withProgress(progress);
    }

    /** The signing key systems are built with. */
    public SigningKey signer() {
        return keys().signer();
    }

    /** A fleet's source that stops the fleet's evaluation threads when closed. */
    private static final class FleetRevisionSource implements SystemSource, AutoCloseable {
        private final FleetConfig fleet;
        private final FleetSource source;

        FleetRevisionSource(FleetConfig fleet, LocalStore store, SigningKey signer) {
            this.fleet = fleet;
            this.source = new FleetSource(fleet, store, signer);
        }

        @Override
        public dev.flotilla.store.StorePath build(dev.flotilla.inventory.Host host, dev.flotilla.inventory.Inventory inventory) throws BuildException {
            return source.build(host, inventory);
        }

        @Override
        public void close() {
            fleet.close();
        }
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
