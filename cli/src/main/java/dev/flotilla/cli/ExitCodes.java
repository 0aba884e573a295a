package dev.flotilla.cli;

import dev.flotilla.deploy.RolloutReport;

/** Exit codes shared by every command, so scripts can tell outcomes apart. The only place they are defined. */
public final class ExitCodes {
    /** Everything requested happened: every host switched or was already up to date. */
    public static final int OK = 0;
    /** The rollout finished within its failure budgets, but some hosts failed their checks and were rolled back. */
    public static final int ROLLED_BACK = 1;
    /** Invalid input: command-line usage, inventory, configuration, plan or rollout id (picocli uses 2 for usage errors too). */
    public static final int INVALID_INPUT = 2;
    /** Some host could not be deployed (unreachable, refused, copy error, failed rollback); a copy failure switches nothing. */
    public static final int FAILED = 3;
    /** The rollout halted: a failure budget or maxUnavailable was exceeded, an approval refused or still awaited (resumable). */
    public static final int HALTED = 4;
    /** {@code flotilla drift}: some host has managed files changed by hand (and every host answered). */
    public static final int DRIFTED = 5;
    /** A bug or an unexpected environment problem; the message says what. */
    public static final int INTERNAL = 70;

    /** The --help footer section listing these codes (a constant, so commands can put it in their annotations). */
    public static final String HELP = "%nExit codes:%n"
            + "  " + OK + "  succeeded: every host switched (or was already on its system)%n"
            + "  " + ROLLED_BACK + "  rolled back: finished within budget; hosts that failed were rolled back%n"
            + "  " + INVALID_INPUT + "  invalid input: options, inventory, configuration, plan, rollout id%n"
            + "  " + FAILED + "  failed: unreachable host, refused copy (nothing switched), failed rollback%n"
            + "  " + HALTED + "  halted: over a failure budget or maxUnavailable (rollback policy ran),%n"
            + "     approval refused, or awaiting approval (--resume ID --approve STAGE)%n"
            + "  " + INTERNAL + " internal error";

    private ExitCodes() {}

    public static int of(RolloutReport.Outcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> OK;
            case ROLLED_BACK -> ROLLED_BACK;
            case INVALID -> INVALID_INPUT;
            case FAILED -> FAILED;
            case HALTED, AWAITING_APPROVAL -> HALTED;
        };
    }
}
