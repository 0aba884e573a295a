package dev.flotilla.deploy;

import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.store.StorePath;

/**
 * Turns a host of the fleet into its built system: evaluate the fleet's configuration for the host (seeing
 * the whole inventory) and build the result into the deploying side's store, signed. Today's implementation
 * reads one configuration file ({@link NixFileSource}); the module system's plugs in here.
 */
@FunctionalInterface
public interface SystemSource {

    /**
     * The host's toplevel store path, built and registered in the local store.
     *
     * @throws BuildException with a message for people ({@code file:line:col: ...} where there is one)
     */
    StorePath build(Host host, Inventory inventory) throws BuildException;

    /** The configuration could not be evaluated or built for a host: invalid input, not a fleet problem. */
    final class BuildException extends Exception {
        private static final long serialVersionUID = 1L;

        private final Step step;

        public BuildException(Step step, String message, Throwable cause) {
            super(message, cause);
            this.step = step;
        }

        /** {@link Step#EVALUATE} or {@link Step#BUILD}. */
        public Step step() {
            return step;
        }
    }
}
