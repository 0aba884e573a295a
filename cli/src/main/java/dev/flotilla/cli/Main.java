package dev.flotilla.cli;

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
        },
        subcommands = {DeployCommand.class, RollbackCommand.class, StatusCommand.class, GenerationsCommand.class, dev.flotilla.cli.store.StoreCommand.class, dev.flotilla.cli.fleet.BuildCommand.class, dev.flotilla.cli.fleet.DiffCommand.class, DemoCommand.class, dev.flotilla.cli.remote.RemoteCommand.class, CommandLine.HelpCommand.class})
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

    private static final java.util.Map<String, String> SUMMARIES = new java.util.LinkedHashMap<>();

    static {
        SUMMARIES.put("deploy", "Build, copy and switch hosts, stage by stage (canary, waves, budgets, gates).");
        SUMMARIES.put("rollback", "Return hosts to earlier generations, fleet-wide, through the same plans.");
        SUMMARIES.put("status", "Rollouts and how they stand; with --fleet, each host's current generation.");
        SUMMARIES.put("generations", "Every system generation each host keeps, asking its agent.");
        SUMMARIES.put("store", "Inspect and maintain the local store: add, nar, info, verify, gc.");
        SUMMARIES.put("build", "Evaluate and build each host's system from a fleet folder.");
        SUMMARIES.put("diff", "Compare a host's new closure with an earlier one: paths added, removed, changed.");
        SUMMARIES.put("demo", "Five local agents, a rollout and an automatic rollback, explained.");
        SUMMARIES.put("remote", "Run and follow rollouts on a Flotilla controller over its REST API.");
        SUMMARIES.put("eval", "Evaluate Nix expressions (nix-instantiate's flags), or a fleet host's options.");
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(new EvalCommand());
        // Descriptions are written for a 100-column terminal; picocli's default of 80 breaks them mid-sentence.
        cl.setUsageHelpWidth(100);
        cl.setUsageHelpAutoWidth(true);
        // The command list shows one line per command; commands' own descriptions are paragraphs.
        SUMMARIES.forEach((name, summary) -> {
            CommandLine sub = cl.getSubcommands().get(name);
            if (sub != null && sub.getCommandSpec().usageMessage().header().length == 0) {
                sub.getCommandSpec().usageMessage().header(summary);
            }
        });
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return ExitCodes.INTERNAL;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"flotilla " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
