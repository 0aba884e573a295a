package dev.flotilla.store.build;

import java.nio.file.Path;

/** A derivation's builder failed or produced something unusable; nothing of it entered the store. */
public final class DerivationFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String drvPath;
    private final transient Path log;

    public DerivationFailedException(String drvPath, String message, Path log) {
        super(message);
        this.drvPath = drvPath;
        this.log = log;
    }

    public String drvPath() {
        return drvPath;
    }

    /** The build's log, or null when the builder never started. */
    public Path log() {
        return log;
    }
}
