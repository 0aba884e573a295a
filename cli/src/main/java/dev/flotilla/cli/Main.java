package dev.flotilla.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code flotilla} command: local commands run in this JVM, with no server and no database. */
@Command(name = "flotilla",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Declarative, push-based deployment for fleets of Linux servers.",
            "Hosts are configured in the Nix language, built centrally into a content-addressed store,",
            "copied over SSH to a small agent on each host, and switched atomically."
        },
        footer = {
            "",
            "Examples:",
            "  ./flotilla demo                                        # 5 local agents, a rollout and a rollback",
            "  flotilla deploy --inventory inventory.yaml --config host.nix",
            "  flotilla eval --eval --strict -E '1 + 2'",
            "",
            "Run 'flotilla COMMAND --help' for a command's options."
        })
/**
 * Also the entry point. The command tree lives in {@link CommandTree}, so that starting here for a plain
 * {@code flotilla eval} (read by {@link EvalArgs}) loads no picocli class: the JVM's launcher resolves the types
 * in the signatures of every method of this class before it calls {@code main}.
 */
public final class Main implements Runnable {

    static {
        // The CLI reports SSH failures itself, per host; MINA's own log lines would repeat them as noise.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.sshd", System.getProperty("org.slf4j.simpleLogger.log.org.apache.sshd", "off"));
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("eval")) {
            Optional<EvalCommand> eval = EvalArgs.parse(Arrays.copyOfRange(args, 1, args.length));
            if (eval.isPresent()) {
                System.exit(callWithoutPicocli(eval.get()));
            }
        }
        System.exit(CommandTree.commandLine(args.length > 0 ? args[0] : null).execute(args));
    }

    /** A command parsed without picocli ({@link EvalArgs}), its failures reported as picocli's handler does. */
    private static int callWithoutPicocli(Callable<Integer> command) {
        try {
            return command.call();
        } catch (Exception e) {
            return internalError(new PrintWriter(System.err, true), e);
        }
    }

    /** How an unexpected failure of a command is reported (picocli's execution exception handler, too). */
    static int internalError(PrintWriter err, Exception e) {
        err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        err.flush();
        return ExitCodes.INTERNAL;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"flotilla " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
