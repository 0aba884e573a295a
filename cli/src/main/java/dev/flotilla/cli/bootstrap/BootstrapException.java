package dev.flotilla.cli.bootstrap;

import dev.flotilla.cli.ExitCodes;

/** Why a bootstrap stopped, with a message for people; {@link Kind#exitCode()} is what the command returns. */
public final class BootstrapException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** Options, fingerprint syntax, inventory: nothing was attempted on the host. */
        INVALID_INPUT,
        /** The host's OpenSSH could not be reached (refused, timeout, unknown name). */
        UNREACHABLE,
        /** OpenSSH refused every key offered (key-only: no password is ever tried). */
        AUTH_REFUSED,
        /** The host's OpenSSH key is not the pinned one, or no key is pinned for it. */
        HOST_KEY_MISMATCH,
        /** Not enough free space on the host for the bundle. */
        NO_SPACE,
        /** The agent was installed but did not answer on its port in time. */
        AGENT_NOT_UP,
        /** No agent bundle could be found or built here. */
        BUNDLE,
        /** A step on the host failed otherwise (its own output says why). */
        REMOTE_FAILED;

        public int exitCode() {
            return switch (this) {
                case INVALID_INPUT -> ExitCodes.INVALID_INPUT;
                case BUNDLE -> ExitCodes.INTERNAL;
                case UNREACHABLE, AUTH_REFUSED, HOST_KEY_MISMATCH, NO_SPACE, AGENT_NOT_UP, REMOTE_FAILED -> ExitCodes.FAILED;
            };
        }

        /** Stable lower-case code, for --json. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Kind kind;

    public BootstrapException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BootstrapException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
