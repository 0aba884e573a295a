package dev.flotilla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.deploy.rollout.FileRolloutStore;
import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.deploy.rollout.HostState;
import dev.flotilla.deploy.rollout.RolloutJson;
import dev.flotilla.deploy.rollout.RolloutRecord;
import dev.flotilla.deploy.rollout.RolloutStatus;
import dev.flotilla.deploy.rollout.RolloutStore;
import dev.flotilla.deploy.rollout.SshAgents;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.InventoryException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Without arguments: the rollouts this state directory knows, newest first, and how they stand",
            "(an interrupted one can be resumed with 'flotilla deploy --resume ID'). With a rollout ID: its",
            "hosts, stage by stage. With --fleet (or -i): each host's current generation, asking its agent."
        },
        footer = {"", "Examples:", "  flotilla status", "  flotilla status 20250301-142233-a1f3", "  flotilla status --fleet fleet/ --on 'web-*'",
            ExitCodes.HELP})
final class StatusCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "ID", description = "A rollout to show in detail.")
    String id;

    @Mixin
    FleetOptions fleet;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--parallel", defaultValue = "20", paramLabel = "N", description = "Hosts asked at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        FileRolloutStore store = connection.rollouts();
        try {
            if (fleet.given()) {
                return hosts(out);
            }
            if (id != null) {
                RolloutRecord r = store.load(id).orElseThrow(() -> new IllegalArgumentException("no rollout " + id + " in " + store.dir()));
                return rollout(out, store, r);
            }
        } catch (IllegalArgumentException | InventoryException | dev.flotilla.deploy.fleet.FleetException e) {
            System.err.println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        List<RolloutRecord> all = store.list();
        if (json) {
            for (RolloutRecord r : all) {
                out.println(new ObjectMapper().readTree(RolloutJson.write(r)).toString());
            }
            return ExitCodes.OK;
        }
        if (all.isEmpty()) {
            out.println("No rollouts in " + store.dir() + ".");
            return ExitCodes.OK;
        }
        out.printf("%-20s  %-8s  %-18s  %-20s  %-16s  %s%n", "ROLLOUT", "GOAL", "STATUS", "UPDATED", "HOSTS", "WHAT");
        for (RolloutRecord r : all) {
            out.printf("%-20s  %-8s  %-18s  %-20s  %-16s  %s%n", r.id(), r.goal().word(), state(store, r),
                    r.updated().toString().substring(0, 19).replace('T', ' '), r.switched() + "/" + r.hosts().size() + " switched"
                    + (r.failures() > 0 ? ", " + r.failures() + " failed" : ""), r.description() + (r.reason().isEmpty() ? "" : " (" + r.reason() + ")"));
        }
        return ExitCodes.OK;
    }

    /** The stored status, but "interrupted" for a running rollout nobody runs. */
    static String state(RolloutStore store, RolloutRecord r) throws IOException {
        if (r.status() != RolloutStatus.RUNNING) {
            return r.status().word();
        }
        try (RolloutStore.Claim c = store.claim(r.id())) {
            return "interrupted";
        } catch (RolloutStore.RolloutBusyException busy) {
            return "running";
        }
    }

    private int rollout(PrintStream out, RolloutStore store, RolloutRecord r) throws IOException {
        if (json) {
            out.print(RolloutJson.write(r));
            return ExitCodes.OK;
        }
        out.printf("rollout %s: %s, %s%n  %s%n  created %s, updated %s%n", r.id(), r.goal().word(), state(store, r), r.description(), r.created(), r.updated());
        if (!r.reason().isEmpty()) {
            out.println("  " + r.reason());
        }
        int width = Math.max(8, r.hosts().stream().mapToInt(h -> h.name().length()).max().orElse(8));
        for (var s : r.stages()) {
            out.printf("%n== %s (%s%s)%n", s.name(), s.status().word(), s.approved() ? ", approved" : "");
            for (HostRecord h : r.hosts()) {
                if (h.stage().equals(s.name())) {
                    out.printf("%-" + width + "s  %-12s %10s  %s%n", h.name(), TextProgress.state(h.state()), generation(h), h.detail());
                }
            }
        }
        if (r.status() == RolloutStatus.RUNNING && "interrupted".equals(state(store, r))
                || r.status() == RolloutStatus.AWAITING_APPROVAL) {
            out.printf("%nContinue it with: flotilla deploy --resume %s%n", r.id());
        }
        return ExitCodes.OK;
    }

    private static String generation(HostRecord h) {
        if (h.state() == HostState.CONFIRMED && h.changed()) {
            return Math.max(0, h.fromGeneration()) + " -> " + h.generation();
        }
        return h.knowsOrigin() ? String.valueOf(h.fromGeneration()) : "-";
    }

    private int hosts(PrintStream out) throws Exception {
        List<Host> targets = fleet.targets(fleet.loadWith(connection.storeDir));
        var settings = connection.settings(Math.max(1, parallel), SwitchMode.SWITCH, System.err);
        List<FleetQuery.Answer> answers = FleetQuery.ask(new SshAgents(settings), targets, Math.max(1, parallel));
        int width = Math.max(8, targets.stream().mapToInt(h -> h.name().length()).max().orElse(8));
        boolean allOk = true;
        if (!json) {
            out.printf("%-" + width + "s  %10s  %s%n", "HOST", "GENERATION", "ACTIVE SYSTEM");
        }
        for (FleetQuery.Answer a : answers) {
            allOk &= a.ok();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("host", a.host().name());
                if (a.ok()) {
                    m.put("generation", a.status().defaultGeneration());
                    m.put("active", a.status().activeSystem().orElse(null));
                } else {
                    m.put("error", a.error());
                }
                out.println(new ObjectMapper().writeValueAsString(m));
            } else if (a.ok()) {
                out.printf("%-" + width + "s  %10d  %s%n", a.host().name(), a.status().defaultGeneration(), a.status().activeSystem().orElse("(none)"));
            } else {
                out.printf("%-" + width + "s  %10s  UNREACHABLE: %s%n", a.host().name(), "-", a.error());
            }
        }
        return allOk ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
