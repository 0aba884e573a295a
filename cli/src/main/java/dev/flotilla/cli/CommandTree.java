package dev.flotilla.cli;

import dev.flotilla.cli.bootstrap.BootstrapCommand;
import dev.flotilla.cli.fleet.BuildCommand;
import dev.flotilla.cli.fleet.DiffCommand;
import dev.flotilla.cli.remote.RemoteCommand;
import dev.flotilla.cli.store.StoreCommand;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;

/** The {@code flotilla} command tree: {@link Main} at the root, one subcommand per entry of {@link #SUBCOMMANDS}. */
public final class CommandTree {
    private CommandTree() {
    }

    /** A subcommand: its name (as its {@code @Command} says), how to make it, and its line in the command list. */
    private record Subcommand(String name, Supplier<Object> factory, String summary) {}

    // In the order `flotilla --help` lists them.
    private static final List<Subcommand> SUBCOMMANDS = List.of(
            new Subcommand("deploy", DeployCommand::new, "Build, copy and switch hosts, stage by stage (canary, waves, budgets, gates)."),
            new Subcommand("rollback", RollbackCommand::new, "Return hosts to earlier generations, fleet-wide, through the same plans."),
            new Subcommand("status", StatusCommand::new, "Rollouts and how they stand; with --fleet, each host's current generation."),
            new Subcommand("generations", GenerationsCommand::new, "Every system generation each host keeps, asking its agent."),
            new Subcommand("drift", DriftCommand::new, "Managed /etc files changed by hand on each host since activation."),
            new Subcommand("store", StoreCommand::new, "Inspect and maintain the local store: add, nar, info, verify, gc."),
            new Subcommand("build", BuildCommand::new, "Evaluate and build each host's system from a fleet folder."),
            new Subcommand("diff", DiffCommand::new, "Compare a host's new closure with an earlier one: paths added, removed, changed."),
            new Subcommand("demo", DemoCommand::new, "Five local agents, a rollout and an automatic rollback, explained."),
            new Subcommand("remote", RemoteCommand::new, "Run and follow rollouts on a Flotilla controller over its REST API."),
            new Subcommand("bootstrap", BootstrapCommand::new, "Install or upgrade the agent on a host over its OpenSSH; record its host key."),
            new Subcommand("eval", EvalCommand::new, "Evaluate Nix expressions (nix-instantiate's flags), or a fleet host's options."));

    /** The whole command tree: for help, completion and tests. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command tree for one invocation. picocli builds every registered command's model by
     * reflection before parsing, which costs a short command such as {@code flotilla eval} more
     * than its own work; so when the first argument names a subcommand, only that one is built.
     */
    static CommandLine commandLine(String firstArgument) {
        boolean known = SUBCOMMANDS.stream().anyMatch(c -> c.name().equals(firstArgument));
        CommandLine cl = new CommandLine(new Main());
        for (Subcommand command : SUBCOMMANDS) {
            if (known && !command.name().equals(firstArgument)) {
                continue;
            }
            CommandLine sub = new CommandLine(command.factory().get());
            // The command list shows one line per command; commands' own descriptions are paragraphs.
            if (sub.getCommandSpec().usageMessage().header().length == 0) {
                sub.getCommandSpec().usageMessage().header(command.summary());
            }
            cl.addSubcommand(command.name(), sub);
        }
        cl.addSubcommand(new CommandLine.HelpCommand());
        // Descriptions are written for a 100-column terminal; picocli's default of 80 breaks them mid-sentence.
        cl.setUsageHelpWidth(100);
        cl.setUsageHelpAutoWidth(true);
        cl.setExecutionExceptionHandler((ex, line, parse) -> Main.internalError(line.getErr(), ex));
        return cl;
    }
}
