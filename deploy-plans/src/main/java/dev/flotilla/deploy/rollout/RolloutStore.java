package dev.flotilla.deploy.rollout;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where rollouts are kept so they can be shown and resumed: one file per rollout for the CLI
 * ({@link FileRolloutStore}), the database for the controller.
 *
 * <p>The engine saves a whole snapshot at each step (snapshots are small: a few hundred bytes per host);
 * a store replaces the previous one atomically, so a reader or a resumer never sees half of one.
 * Progress events are not stored here; they go to the {@link RolloutListener}.
 */
public interface RolloutStore {

    /** Replaces the rollout's snapshot (creating it on first save); durable when this returns. */
    void save(RolloutRecord rollout) throws IOException;

    Optional<RolloutRecord> load(String id) throws IOException;

    /** Every rollout kept, newest first. */
    List<RolloutRecord> list() throws IOException;

    /**
     * The exclusive right to run the rollout, held until closed; released by itself when its holder
     * dies (a file lock, a database lease), so an interrupted rollout can be claimed again and resumed.
     *
     * @throws RolloutBusyException when another process holds it
     */
    Claim claim(String id) throws IOException;

    /** A held claim; closing it releases it. */
    interface Claim extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /** Someone else is running this rollout. */
    final class RolloutBusyException extends IOException {
        private static final long serialVersionUID = 1L;

        public RolloutBusyException(String id) {
            super("rollout " + id + " is being run by another process");
        }
    }
}
