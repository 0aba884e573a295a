package dev.flotilla.agent;

/**
 * The agent module's one error type: a stable {@link Kind} (callers map it to exit codes or
 * protocol error codes), a message for people, and the cause.
 */
public final class AgentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, coarsely; the name is the stable code sent over the wire. */
    public enum Kind {
        /** A generation, store path or request that does not exist or is malformed. */
        BAD_REQUEST,
        /** The toplevel's manifest is missing or invalid. */
        BAD_MANIFEST,
        /** The store path is not valid (not registered) in the host's store. */
        NOT_IN_STORE,
        /** Activating a system failed (file system error, missing etc file...). */
        ACTIVATION,
        /** Profile / generation bookkeeping failed, or a rollback target does not exist. */
        PROFILE,
        /** Transport or protocol failure between client and agent. */
        PROTOCOL,
        /** The agent's host key did not match the pinned one, or authentication failed. */
        SECURITY,
        /**
         * A confirmation that came too late: the switch it names was already rolled back (the
         * message says why). Never report the switch as a success.
         */
        ROLLED_BACK,
        /** Another switch waits for its confirmation; confirm or roll it back first. */
        BUSY,
        /** Anything else; a bug. */
        INTERNAL
    }

    private final Kind kind;

    public AgentException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public AgentException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
