package dev.flotilla.cli;

/** Exit codes shared by every command, so scripts can tell outcomes apart. */
public final class ExitCodes {
    /** Everything requested happened. */
    public static final int OK = 0;
    /** At least one host rolled back after failing its health checks; no host failed otherwise. */
    public static final int ROLLED_BACK = 1;
    /** Invalid input: command-line usage, inventory or configuration (picocli uses 2 for usage errors too). */
    public static final int INVALID_INPUT = 2;
    /** At least one host could not be deployed (unreachable, refused, copy or activation error). */
    public static final int FAILED = 3;
    /** A bug or an unexpected environment problem; the message says what. */
    public static final int INTERNAL = 70;

    private ExitCodes() {}
}
