package dev.flotilla.cli;

import dev.flotilla.deploy.NixFileSource;
import dev.flotilla.deploy.SystemSource;
import dev.flotilla.deploy.fleet.FleetConfig;
import dev.flotilla.deploy.fleet.FleetSource;
import dev.flotilla.deploy.plan.BuiltinPlans;
import dev.flotilla.deploy.plan.Plan;
import dev.flotilla.deploy.plan.PlanLoader;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.HostSelector;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.inventory.InventoryLoader;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Which fleet and which of its hosts: {@code --fleet DIR} (DIR/inventory.yaml, plans in DIR/plans/, and either
 * DIR/fleet.nix evaluated with the module system, or DIR/host.nix, one function of {@code { host, hosts }}), or
 * {@code -i INVENTORY [-c CONFIG]}; {@code --on SELECTOR} narrows the hosts.
 */
final class FleetOptions {

    private FleetConfig modules;

    @Option(names = "--fleet", paramLabel = "DIR",
            description = "Fleet directory: inventory.yaml, fleet.nix (or host.nix), optional plans/NAME.yaml.")
    Path fleet;

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", description = "Inventory in Ansible's YAML shape (instead of --fleet).")
    Path inventory;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Host configuration in the Nix language, a function of { host, hosts, ... } (instead of --fleet).")
    Path config;

    @Option(names = "--on", paramLabel = "SELECTOR",
            description = "Only these hosts: names, globs (web-*), groups, tags (@canary), ',' for union, '!' to exclude.")
    String on;

    boolean given() {
        return fleet != null || inventory != null;
    }

    Path inventoryFile() {
        if (fleet != null && inventory != null) {
            throw new IllegalArgumentException("give either --fleet DIR or --inventory FILE, not both");
        }
        if (fleet != null) {
            Path f = fleet.resolve("inventory.yaml");
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(fleet + ": not a fleet directory (no inventory.yaml)");
            }
            return f;
        }
        if (inventory == null) {
            throw new IllegalArgumentException("which fleet? give --fleet DIR, or --inventory FILE");
        }
        return inventory;
    }

    Path configFile() {
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException(config + ": configuration file not found");
            }
            return config;
        }
        if (fleet != null) {
            for (String name : List.of("fleet.nix", "host.nix")) {
                if (Files.isRegularFile(fleet.resolve(name))) {
                    return fleet.resolve(name);
                }
            }
            throw new IllegalArgumentException(fleet + ": no fleet.nix or host.nix");
        }
        throw new IllegalArgumentException("which configuration? give --fleet DIR, or --config FILE with --inventory");
    }

    /** The fleet folder's module-system configuration, when it has a fleet.nix (and no -c overrides it). */
    Optional<FleetConfig> modules(String storeDir) {
        if (modules == null && fleet != null && config == null && Files.isRegularFile(fleet.resolve("fleet.nix"))) {
            modules = FleetConfig.load(fleet, FleetConfig.Options.defaults().withStoreDir(storeDir));
        }
        return Optional.ofNullable(modules);
    }

    Inventory loadWith(String storeDir) {
        modules(storeDir);
        return load();
    }

    Inventory load() {
        return modules == null ? InventoryLoader.load(inventoryFile()) : modules.inventory();
    }

    /** The selected hosts; with a module-system fleet, as its {@code deployment.*} options say to reach them. */
    List<Host> targets(Inventory inv) {
        List<Host> selected = on == null ? inv.hosts() : HostSelector.parse(on).select(inv);
        return modules == null ? selected : selected.stream().map(h -> modules.effectiveHost(h.name())).toList();
    }

    /** How the systems are built: the module system for a fleet.nix, else one configuration file. */
    SystemSource source(Evaluator evaluator, LocalStore store, SigningKey signer) {
        return modules != null ? new FleetSource(modules, store, signer) : new NixFileSource(configFile(), evaluator, store, signer);
    }

    /**
     * A built-in plan's name, {@code DIR/plans/NAME.yaml} of the fleet, or a plan file; without a name, the
     * fleet's {@code plans/default.yaml} if it has one, else {@code fallback}.
     */
    Plan plan(String nameOrFile, Plan fallback) {
        Optional<Path> plans = Optional.ofNullable(fleet).map(f -> f.resolve("plans"));
        if (nameOrFile == null) {
            return plans.map(p -> p.resolve("default.yaml")).filter(Files::isRegularFile).map(PlanLoader::load).orElse(fallback);
        }
        if (BuiltinPlans.byName(nameOrFile).isEmpty() && plans.isPresent()) {
            for (String ext : List.of(".yaml", ".yml")) {
                Path p = plans.get().resolve(nameOrFile + ext);
                if (Files.isRegularFile(p)) {
                    return PlanLoader.load(p);
                }
            }
        }
        return PlanLoader.resolve(nameOrFile);
    }

    /** What was asked, in the rollout's record: "deploy fleet/ --on web-*". */
    String describe(String verb) {
        String what = fleet != null ? fleet.toString() : inventory + (config != null ? " " + config : "");
        return verb + " " + what + (on != null ? " --on " + on : "");
    }
}
