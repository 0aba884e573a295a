package dev.flotilla.e2e.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.agent.sim.FleetSimulator;
import dev.flotilla.agent.sim.SimulatedHost;
import dev.flotilla.agent.sim.SimulatorConfig;
import dev.flotilla.cli.Workspace;
import dev.flotilla.deploy.DeploySettings;
import dev.flotilla.deploy.NixFileSource;
import dev.flotilla.deploy.RolloutReport;
import dev.flotilla.deploy.Rollouts;
import dev.flotilla.deploy.plan.BuiltinPlans;
import dev.flotilla.deploy.rollout.Approvals;
import dev.flotilla.deploy.rollout.FileRolloutStore;
import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.deploy.rollout.SshAgents;
import dev.flotilla.eval.EvalOptions;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.inventory.InventoryLoader;
import dev.flotilla.store.StoreDir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty simulated agents in this JVM (`flotilla-agent simulate`'s {@link FleetSimulator}), deployed to through the real
 * rollout engine over real SSH, from the inventory the simulator writes: every host switches on its own root, and a
 * failing health check on one host rolls back that host alone.
 */
@Timeout(180)
class SimulatedFleetDeployTest {

    static final int HOSTS = 20;
    static final String BROKEN = "host-007";

    @TempDir
    static Path dir;
    static FleetSimulator fleet;
    static Inventory inventory;
    static DeploySettings settings;
    static FileRolloutStore store;
    static Path fleetDir;

    @BeforeAll
    static void start() throws Exception {
        Workspace ws = new Workspace(dir.resolve("state"), new StoreDir("/flotilla/store"));
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        var signer = ws.signingKey(quiet);
        ws.identity(null, quiet);
        fleet = FleetSimulator.start(new SimulatorConfig(HOSTS, dir.resolve("hosts"), "127.0.0.1", 0, Path.of(ws.identityFile() + ".pub"),
                List.of(ws.signingPublicKeyFile()), "host-", StoreDir.DEFAULT, "builtin", 2));
        fleetDir = Files.createDirectories(dir.resolve("fleet"));
        inventory = InventoryLoader.load(fleet.writeInventory(fleetDir.resolve("inventory.yaml")));
        settings = new DeploySettings(ws.store(), signer, SshKeys.load(ws.identityFile()), Optional.empty(), 10,
                Duration.ofSeconds(10), SwitchMode.SWITCH);
        store = new FileRolloutStore(dir.resolve("state/rollouts"));
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    /** A configuration whose /etc/app/version says {@code version}; its check fails on the hosts in {@code broken}. */
    private static Path version(String version, List<String> broken) throws IOException {
        String names = String.join(" ", broken.stream().map(b -> "\"" + b + "\"").toList());
        return Files.writeString(fleetDir.resolve(version + ".nix"), """
                { host, ... }:
                let broken = builtins.elem host.name [ %s ]; in
                {
                  environment.etc."app/version".text = "%s on ${host.name}\\n";
                  healthChecks.app = { command = if broken then "echo 'app is broken' >&2; exit 1" else "true"; retries = 1; };
                }
                """.formatted(names, version));
    }

    private static RolloutReport deploy(Path config) throws Exception {
        Evaluator evaluator = new Evaluator(EvalOptions.defaults());
        Rollouts rollouts = new Rollouts(settings, new NixFileSource(config, evaluator, settings.store(), settings.signer()), store,
                new SshAgents(settings));
        return rollouts.deploy(inventory, inventory.hosts(), BuiltinPlans.ALL_AT_ONCE, "deploy " + config.getFileName(),
                Approvals.ALL, e -> {}, false);
    }

    @Test
    void aDeployThroughTheEngineSwitchesEveryHostAndAFailingCheckRollsBackOnlyItsHost() throws Exception {
        assertEquals(HOSTS, inventory.hosts().size());
        Map<String, Integer> before = generations();

        RolloutReport first = deploy(version("v1", List.of()));
        assertEquals(RolloutReport.Outcome.SUCCEEDED, first.outcome(), first.reason());
        Map<String, Integer> afterFirst = generations();
        for (SimulatedHost h : fleet.hosts()) {
            assertEquals(HostRecord.Result.SWITCHED, first.host(h.name()).result(), h.name());
            assertTrue(afterFirst.get(h.name()) > before.get(h.name()), h.name() + " moved to a new generation");
            assertEquals("v1 on " + h.name(), etcVersion(h), h.name() + "'s own /etc, in its own root");
        }

        RolloutReport second = deploy(version("v2", List.of(BROKEN)));
        Map<String, Integer> afterSecond = generations();
        assertEquals(HostRecord.Result.ROLLED_BACK, second.host(BROKEN).result(), second.reason());
        assertTrue(second.host(BROKEN).reason().contains("app is broken"), second.host(BROKEN).reason());
        assertEquals(afterFirst.get(BROKEN), afterSecond.get(BROKEN), "the broken host is back on its generation");
        assertEquals("v1 on " + BROKEN, etcVersion(fleet.host(BROKEN)), "with its /etc");
        assertTrue(Files.readString(fleet.host(BROKEN).root().resolve("flotilla/var/journal.jsonl")).contains("app is broken"));
        for (SimulatedHost h : fleet.hosts()) {
            if (!h.name().equals(BROKEN)) {
                assertEquals(HostRecord.Result.SWITCHED, second.host(h.name()).result(), h.name());
                assertTrue(afterSecond.get(h.name()) > afterFirst.get(h.name()), h.name() + " switched again");
                assertEquals("v2 on " + h.name(), etcVersion(h), h.name());
                assertTrue(!Files.readString(h.root().resolve("flotilla/var/journal.jsonl")).contains("app is broken"),
                        h.name() + " never saw the broken host's rollback");
            }
        }
    }

    private static String etcVersion(SimulatedHost h) throws IOException {
        return Files.readString(h.root().resolve("etc/app/version")).strip();
    }

    private static Map<String, Integer> generations() throws IOException {
        Map<String, Integer> out = new HashMap<>();
        for (SimulatedHost h : fleet.hosts()) {
            Path profile = h.root().resolve("flotilla/var/profiles/system");
            int g = 0;
            if (Files.isSymbolicLink(profile)) {
                Matcher m = Pattern.compile("system-(\\d+)-link").matcher(Files.readSymbolicLink(profile).toString());
                g = m.matches() ? Integer.parseInt(m.group(1)) : -1;
            }
            out.put(h.name(), g);
        }
        return out;
    }
}
