package dev.flotilla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.DriftEntry;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.deploy.rollout.SshAgents;
import dev.flotilla.inventory.Host;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flotilla drift}: the managed {@code /etc} entries that someone changed by hand on each host
 * since its system was activated. The agent never overwrites such an edit silently: at the next
 * switch it keeps the edited copy aside; this is where an operator sees them before that.
 */
@Command(name = "drift",
        mixinStandardHelpOptions = true,
        description = {
            "Managed /etc entries changed by hand since activation, per host, asking each host's agent.",
            "REPLACED: something other than the managed link is there (kept aside at the next switch);",
            "MISSING: the entry is gone; MODIFIED: the store file behind the link was written to."
        },
        footer = {"", "Examples:", "  flotilla drift --fleet fleet/", "  flotilla drift -i inventory.yaml --on '@web' --json",
            "", "Exit codes:", "  0  no drift on any host", "  " + ExitCodes.INVALID_INPUT + "  invalid input: options, inventory, selector",
            "  " + ExitCodes.FAILED + "  some host did not answer (its drift is unknown)",
            "  " + ExitCodes.DRIFTED + "  drift found on some host (and every host answered)"})
final class DriftCommand implements Callable<Integer> {

    @Mixin
    FleetOptions fleet;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--parallel", defaultValue = "20", paramLabel = "N", description = "Hosts asked at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--json", description = "One JSON object per host.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        var selected = FleetQuery.targets(fleet, connection, System.err);
        if (selected.isEmpty()) {
            return ExitCodes.INVALID_INPUT;
        }
        List<Host> targets = selected.get();
        var settings = connection.settings(Math.max(1, parallel), SwitchMode.SWITCH, System.err);
        boolean allAnswered = true;
        int drifted = 0;
        for (FleetQuery.Answer a : FleetQuery.ask(new SshAgents(settings), targets, Math.max(1, parallel))) {
            allAnswered &= a.ok();
            List<DriftEntry> drift = a.ok() ? a.status().drift() : List.of();
            if (!drift.isEmpty()) drifted++;
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("host", a.host().name());
                if (a.ok()) {
                    m.put("drift", drift.stream().map(d -> Map.of("entry", d.name(), "kind", d.kind().name(), "detail", d.detail())).toList());
                } else {
                    m.put("error", a.error());
                }
                out.println(new ObjectMapper().writeValueAsString(m));
            } else if (!a.ok()) {
                out.println(a.host().name() + ": UNREACHABLE: " + a.error());
            } else if (drift.isEmpty()) {
                out.println(a.host().name() + ": no drift");
            } else {
                out.println(a.host().name() + ":");
                for (DriftEntry d : drift) {
                    out.printf("  %-9s /etc/%s  %s%n", d.kind(), d.name(), d.detail());
                }
            }
        }
        if (!json) {
            out.printf("%d of %d hosts drifted%s%n", drifted, targets.size(), allAnswered ? "" : "; some hosts did not answer");
        }
        if (!allAnswered) return ExitCodes.FAILED;
        return drifted > 0 ? ExitCodes.DRIFTED : ExitCodes.OK;
    }
}
