package dev.flotilla.deploy.fleet;

/** A fleet folder that cannot be loaded, evaluated, built or trusted (--locked); the message is for people. */
public final class FleetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The folder, its inventory or its fleet.nix is missing or malformed. */
        LOAD,
        /** A host's configuration does not evaluate (Nix error, option conflict, type error...). */
        EVALUATE,
        /** The evaluated configuration cannot become a system (missing store path, bad value...). */
        BUILD,
        /** --locked, and an input differs from flotilla.lock (or there is no lock). */
        LOCKED
    }

    private final Kind kind;

    public FleetException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public FleetException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
