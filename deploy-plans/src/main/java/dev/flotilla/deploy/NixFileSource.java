package dev.flotilla.deploy;

import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.build.ConfigException;
import dev.flotilla.store.build.SystemBuilder;
import dev.flotilla.store.build.SystemConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One configuration file in the Nix language, a function of {@code { host, hosts, ... }} evaluated once per
 * host, whose value is a system configuration ({@code environment.etc}, {@code healthChecks}).
 */
public final class NixFileSource implements SystemSource {

    private final Path configFile;
    private final Evaluator evaluator;
    private final LocalStore store;
    private final SigningKey signer;

    public NixFileSource(Path configFile, Evaluator evaluator, LocalStore store, SigningKey signer) {
        this.configFile = configFile;
        this.evaluator = evaluator;
        this.store = store;
        this.signer = signer;
    }

    public Path configFile() {
        return configFile;
    }

    @Override
    public StorePath build(Host host, Inventory inventory) throws BuildException {
        List<Map<String, Object>> allFacts = inventory.hosts().stream().map(Host::facts).toList();
        SystemConfig config;
        try {
            Object value = evaluator.evalFileToJava(configFile, Map.of("host", host.facts(), "hosts", allFacts));
            config = SystemConfig.fromValue(value);
        } catch (ConfigException e) {
            // Option paths mean nothing without the file they are in.
            throw new BuildException(Step.EVALUATE, configFile + ": " + e.getMessage(), e);
        } catch (EvalException e) {
            throw new BuildException(Step.EVALUATE, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new BuildException(Step.EVALUATE, configFile + ": " + describe(e), e);
        }
        try {
            return new SystemBuilder(store, signer).build(host.name(), config).path();
        } catch (ConfigException e) {
            throw new BuildException(Step.BUILD, configFile + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new BuildException(Step.BUILD, "building the system of " + host.name() + ": " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
