package dev.flotilla.agent;

import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.agent.protocol.StreamService;
import dev.flotilla.agent.server.AgentServer;
import dev.flotilla.store.PublicKey;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.TrustedKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The {@code flotilla-agent} command. */
@Command(name = "flotilla-agent", mixinStandardHelpOptions = true, version = dev.flotilla.agent.system.SystemSwitcher.AGENT_VERSION,
        description = "Flotilla's host agent: receives store closures and switches this host's system over SSH.",
        subcommands = {AgentMain.Run.class, AgentMain.Serve.class, SimulateCommand.class, AgentMain.Keygen.class, LocalCommands.Status.class,
                LocalCommands.Generations.class, LocalCommands.DeleteGenerations.class, LocalCommands.Drift.class, LocalCommands.Check.class,
                LocalCommands.Rollback.class, AotTrainingRoot.class, CommandLine.HelpCommand.class},
        footer = {"", "Example:",
                "  flotilla-agent run --root /srv/web-1 --listen 127.0.0.1:2201 \\",
                "      --host-key /srv/web-1/host_key --authorized-keys keys/authorized_keys \\",
                "      --trusted-key keys/store-key.pub",
                "  prints 'flotilla-agent ready on 127.0.0.1:2201' once listening; logs go to stderr."})
public final class AgentMain {
    private AgentMain() {
    }

    public static void main(String[] args) {
        configureLogging();
        if (args.length > 0 && args[0].equals("run")) {
            Optional<Run> run = RunArgs.parse(Arrays.copyOfRange(args, 1, args.length));
            if (run.isPresent()) {
                System.exit(runWithoutPicocli(run.get()));
            }
        }
        System.exit(withPicocli(args));
    }

    /** The server's usual start: no picocli loaded (see {@link RunArgs}); errors reported as picocli's handler does. */
    private static int runWithoutPicocli(Run run) {
        try {
            return run.call();
        } catch (Exception e) {
            System.err.println("flotilla-agent: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return e instanceof AgentException ? 2 : 1;
        }
    }

    private static int withPicocli(String[] args) {
        CommandLine cli = new CommandLine(AgentMain.class);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("flotilla-agent: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return e instanceof AgentException ? 2 : 1;
        });
        return cli.execute(args);
    }

    /** slf4j-simple to stderr, short and quiet; SSHD's own logging at WARN. Must run before the first logger. */
    static void configureLogging() {
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setDefault("org.slf4j.simpleLogger.log.org.apache.sshd", "warn");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        // Milliseconds since the start, not a wall-clock time: slf4j-simple formats dates with SimpleDateFormat,
        // whose locale and calendar data cost an idle agent ~1.8 MB RSS (journald stamps each line anyway; the
        // "ready" line gives the wall-clock time of the start; -Dorg.slf4j.simpleLogger.dateTimeFormat=... in
        // FLOTILLA_AGENT_JAVA_OPTS brings dates back).
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Options shared by {@code run} and {@code serve}. */
    static class StoreOptions {
        @Option(names = "--root", required = true, paramLabel = "DIR",
                description = "Physical root: the store, profiles and etc live under it (/ on a real host).")
        Path root;

        @Option(names = "--trusted-key", required = true, paramLabel = "FILE",
                description = "Nix-format public store key (name:base64) whose signatures are accepted; repeatable.")
        List<Path> trustedKeys = new ArrayList<>();

        @Option(names = "--store-dir", paramLabel = "DIR", defaultValue = "/flotilla/store",
                description = "Logical store directory (default: ${DEFAULT-VALUE}).")
        String storeDir = "/flotilla/store";

        @Option(names = "--services", paramLabel = "auto|builtin|systemd", defaultValue = "auto",
                description = "Service supervisor: systemd units, the built-in supervisor, or auto (systemd when the host runs it"
                        + " and --root is /; default: ${DEFAULT-VALUE}).")
        String services = "auto";

        Agent open() throws IOException {
            List<PublicKey> keys = new ArrayList<>();
            for (Path file : trustedKeys) {
                keys.addAll(TrustedKeys.read(file).keys());
            }
            return Agent.open(root, new StoreDir(storeDir), new TrustedKeys(keys), services);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Listen for SSH connections (subsystems flotilla-store and flotilla-agent only).")
    static final class Run implements Callable<Integer> {
        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "Address to listen on, e.g. 127.0.0.1:2201.")
        String listen;

        @Option(names = "--host-key", required = true, paramLabel = "FILE",
                description = "SSH host key (OpenSSH format); an ed25519 key is generated there if missing.")
        Path hostKey;

        @Option(names = "--authorized-keys", required = true, paramLabel = "FILE",
                description = "OpenSSH authorized_keys file: the only client keys accepted.")
        Path authorizedKeys;

        @Override
        public Integer call() throws Exception {
            Logger log = LoggerFactory.getLogger(AgentMain.class);
            int colon = listen.lastIndexOf(':');
            if (colon <= 0) {
                throw new AgentException(AgentException.Kind.BAD_REQUEST, "--listen must be HOST:PORT, got '" + listen + "'");
            }
            String host = listen.substring(0, colon).replaceAll("^\\[(.*)]$", "$1");
            int port = Integer.parseInt(listen.substring(colon + 1));
            Agent agent = store.open();
            agent.recoverAndActivate();
            KeyPair key = SshKeys.loadOrGenerate(hostKey, "flotilla-agent@" + host);
            AgentServer server = AgentServer.start(host, port, key, authorizedKeys, agent.subsystems());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                    agent.close();
                    log.info("stopped");
                } catch (IOException e) {
                    log.warn("stopping: {}", e.getMessage());
                } finally {
                    stopped.countDown();
                }
            }, "flotilla-agent-shutdown"));
            String where = (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
            log.info("host key {} ({}), root {}", SshKeys.fingerprint(key.getPublic()), hostKey, store.root);
            // The one wall-clock time in the log: the others count milliseconds from the start (see configureLogging).
            log.info("ready on {} at {}", where, UtcTime.format(System.currentTimeMillis()));
            System.out.println("flotilla-agent ready on " + where);
            System.out.flush();
            stopped.await();
            return 0;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Speak one protocol over stdin/stdout (as the remote command of the host's own OpenSSH).")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Option(names = "--stdio", required = true, description = "Use stdin/stdout (the only transport for now).")
        boolean stdio;

        @Option(names = "--subsystem", required = true, paramLabel = "store|agent",
                description = "Which protocol: store (receive closures) or agent (status, switch, rollback).")
        String subsystem;

        @Override
        public Integer call() throws Exception {
            Agent agent = store.open();
            StreamService service = switch (subsystem) {
                case "store" -> agent.storeService();
                case "agent" -> agent.agentService();
                default -> throw new CommandLine.ParameterException(new CommandLine(this),
                        "--subsystem must be store or agent, got '" + subsystem + "'");
            };
            service.serve(System.in, System.out, "stdio:" + ProcessHandle.current().pid());
            System.out.flush();
            // a switch made over this stream waits for its confirmation (from another connection) or rolls back
            agent.switcher().awaitPendingResolution();
            agent.close();
            return 0;
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Generate an ed25519 SSH key pair: FILE (OpenSSH private key, 0600) and FILE.pub.")
    static final class Keygen implements Callable<Integer> {
        @CommandLine.Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--comment", defaultValue = "flotilla", description = "Comment in the public key line.")
        String comment;

        @Override
        public Integer call() throws Exception {
            KeyPair pair = SshKeys.generate(file, comment);
            System.out.println(SshKeys.publicKeyLine(pair.getPublic(), comment));
            return 0;
        }
    }
}
