package dev.flotilla.deploy.fleet;

import dev.flotilla.deploy.Step;
import dev.flotilla.deploy.SystemSource;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StorePath;

/**
 * The rollout engine's {@link SystemSource} for a fleet folder: evaluates the host with the module
 * system ({@link FleetConfig}) and builds its toplevel into the deploying side's store, signed.
 * The inventory passed in must be the folder's (hosts are looked up by name).
 */
public final class FleetSource implements SystemSource {
    private final FleetConfig fleet;
    private final LocalStore store;
    private final SigningKey signer;

    public FleetSource(FleetConfig fleet, LocalStore store, SigningKey signer) {
        this.fleet = fleet;
        this.store = store;
        this.signer = signer;
    }

    public FleetConfig fleet() {
        return fleet;
    }

    @Override
    public StorePath build(Host host, Inventory inventory) throws BuildException {
        try {
            return fleet.build(host.name(), store, signer).path();
        } catch (FleetException e) {
            Step step = e.kind() == FleetException.Kind.BUILD ? Step.BUILD : Step.EVALUATE;
            throw new BuildException(step, e.getMessage(), e);
        }
    }
}
