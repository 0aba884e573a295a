package dev.flotilla.cli.store;

import dev.flotilla.store.ErrorCode;
import dev.flotilla.store.StoreException;
import java.io.FileNotFoundException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code flotilla store}: the local store for operators and for interoperability with Nix
 * ({@code nar} and {@code add} give exactly what {@code nix-store --dump} and {@code --add} give).
 * One file per subcommand in this package; this class holds what they share.
 */
@Command(name = "store",
        mixinStandardHelpOptions = true,
        description = {
            "Inspect and maintain a Flotilla store (Nix-compatible NARs, paths and narinfo).",
            "Without --root, the deploying side's store: $FLOTILLA_STATE/root, or ~/.local/state/flotilla/root."
        },
        footer = {
            "",
            "Examples:",
            "  flotilla store nar ./result > result.nar              # like nix-store --dump",
            "  flotilla store add --store-dir /nix/store ./src       # prints the path nix-store --add would",
            "  flotilla store info /flotilla/store/<hash>-system     # its narinfo",
            "  flotilla store verify --root /srv/host1               # check every path's hash",
            "  flotilla store gc --dry-run                           # list what no root reaches",
            "",
            "Exit status: 0 fine, 1 problems found (or an operation failed), 2 invalid input."
        },
        subcommands = {NarCommand.class, AddCommand.class, InfoCommand.class, VerifyCommand.class, GcCommand.class,
            CopyCommand.class, CommandLine.HelpCommand.class})
public final class StoreCommand implements Runnable {
    /** Everything requested happened and nothing is wrong. */
    public static final int OK = 0;
    /** Problems were found (verify), or an operation failed on the store or the network. */
    public static final int PROBLEMS = 1;
    /** Invalid input: usage, a missing file, a malformed or foreign store path. */
    public static final int INVALID_INPUT = 2;

    private static final Set<ErrorCode> INPUT_ERRORS = EnumSet.of(ErrorCode.MALFORMED_INPUT, ErrorCode.MALFORMED_NAR,
            ErrorCode.FOREIGN_STORE_DIR);

    private final OutputStream binaryOut;

    @CommandLine.Spec
    CommandSpec spec;

    /** Binary output (NARs) goes to standard output. */
    public StoreCommand() {
        this(System.out);
    }

    /** Binary output goes to {@code binaryOut}: for tests and for embedding. */
    public StoreCommand(OutputStream binaryOut) {
        this.binaryOut = Objects.requireNonNull(binaryOut, "binaryOut");
    }

    /**
     * Runs {@code flotilla store ...} on its own, for scripts that put the CLI's jars on the class
     * path (bench/copy); {@code flotilla store} runs the same command.
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new StoreCommand()).execute(args));
    }

    OutputStream binaryOut() {
        return binaryOut;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Prints {@code error: ...} and maps the failure to an exit status. */
    static int fail(CommandSpec spec, Exception e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        err.flush();
        return exitStatus(e);
    }

    static int exitStatus(Exception e) {
        if (e instanceof StoreException se) {
            return INPUT_ERRORS.contains(se.code()) ? INVALID_INPUT : PROBLEMS;
        }
        if (e instanceof NoSuchFileException || e instanceof FileNotFoundException || e instanceof IllegalArgumentException) {
            return INVALID_INPUT;
        }
        return PROBLEMS;
    }
}
