package dev.flotilla.agent;

import dev.flotilla.agent.sim.FleetSimulator;
import dev.flotilla.agent.sim.SimulatedHost;
import dev.flotilla.agent.sim.SimulatorConfig;
import dev.flotilla.store.StoreDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code flotilla-agent simulate}: a fleet of independent agents in this one process. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run N independent agents in this one process, for tests and benchmarks: each with its own root",
                "directory (standing in for /), SSH host key and port, as N hosts running `flotilla-agent run` would.",
                "Writes an inventory of them that `flotilla deploy --fleet` can use, and stops them all on SIGTERM."},
        footer = {"", "Examples:",
                "  s=~/.local/state/flotilla/keys     (made by the first `flotilla deploy`, or any ed25519 and store key)",
                "  flotilla-agent simulate --hosts 100 --dir /tmp/sim --base-port 40000 \\",
                "      --authorized-keys $s/id_ed25519.pub --trusted-key $s/store-signing.pub",
                "    host-001 on 127.0.0.1:40000 ... host-100 on 127.0.0.1:40099, roots /tmp/sim/host-NNN/root;",
                "    prints 'flotilla-agent simulating 100 hosts; inventory /tmp/sim/inventory.yaml' once all listen.",
                "  flotilla-agent simulate --hosts 20 --dir sim --name-prefix web- --inventory fleet/inventory.yaml ...",
                "  flotilla deploy --fleet fleet --parallel 20",
                "    free ports, hosts web-001 ... web-020, the inventory written straight into a fleet folder.",
                "",
                "Host keys are kept under DIR/<name>/ and reused by the next run; so are the roots (the hosts come back",
                "on their generations). The inventory is written again at each start."})
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--hosts", required = true, paramLabel = "N", description = "How many agents (1-" + SimulatorConfig.MAX_HOSTS + ").")
    int hosts;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where each host's directory DIR/<name>/ goes.")
    Path dir;

    @Option(names = {"--authorized-keys", "--authorized-key"}, required = true, paramLabel = "FILE",
            description = "OpenSSH authorized_keys file: the client keys every agent accepts.")
    Path authorizedKeys;

    @Option(names = "--trusted-key", required = true, paramLabel = "FILE",
            description = "Nix-format public store key whose signatures the agents accept; repeatable.")
    List<Path> trustedKeys = new ArrayList<>();

    @Option(names = "--base-port", defaultValue = "0", paramLabel = "PORT",
            description = "Host n listens on PORT+n-1; 0 gives each host a free port (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--listen-host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address every agent listens on (default: ${DEFAULT-VALUE}).")
    String listenHost;

    @Option(names = "--name-prefix", defaultValue = "host-", paramLabel = "PREFIX",
            description = "Host names are PREFIX and a number of at least three digits (default: ${DEFAULT-VALUE}).")
    String namePrefix;

    @Option(names = "--inventory", paramLabel = "FILE", description = "Where to write the inventory (default: DIR/inventory.yaml).")
    Path inventory;

    @Option(names = "--store-dir", defaultValue = "/flotilla/store", paramLabel = "DIR",
            description = "Logical store directory (default: ${DEFAULT-VALUE}).")
    String storeDir;

    @Option(names = "--services", defaultValue = "builtin", paramLabel = "builtin|systemd",
            description = "Service supervisor of every host (default: ${DEFAULT-VALUE}).")
    String services;

    @Option(names = "--io-workers", paramLabel = "N",
            description = "SSH I/O threads shared by all hosts (default: the number of processors, at least 2).")
    Integer ioWorkers;

    @Override
    public Integer call() throws Exception {
        Logger log = LoggerFactory.getLogger(SimulateCommand.class);
        int workers = ioWorkers != null ? ioWorkers : Math.max(2, Runtime.getRuntime().availableProcessors());
        SimulatorConfig config = new SimulatorConfig(hosts, dir, listenHost, basePort, authorizedKeys, trustedKeys, namePrefix,
                new StoreDir(storeDir), services, workers);
        long t0 = System.nanoTime();
        FleetSimulator fleet = FleetSimulator.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                fleet.close();
                log.info("stopped {} simulated hosts", hosts);
            } finally {
                stopped.countDown();
            }
        }, "flotilla-agent-shutdown"));
        Path written = fleet.writeInventory(inventory != null ? inventory : dir.resolve("inventory.yaml"));
        List<SimulatedHost> all = fleet.hosts();
        log.info("{} hosts started in {} ms: {} on {}:{} ... {} on {}:{}", all.size(), (System.nanoTime() - t0) / 1_000_000,
                all.getFirst().name(), all.getFirst().address(), all.getFirst().port(),
                all.getLast().name(), all.getLast().address(), all.getLast().port());
        System.out.println("flotilla-agent simulating " + all.size() + " hosts; inventory " + written.toAbsolutePath());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
