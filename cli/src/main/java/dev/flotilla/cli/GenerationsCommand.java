package dev.flotilla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.GenerationInfo;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.deploy.rollout.SshAgents;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.InventoryException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generations",
        mixinStandardHelpOptions = true,
        description = "Every system generation each host keeps (like nix-env --list-generations), asking its agent.",
        footer = {"", "Examples:", "  flotilla generations --fleet fleet/ --on 'web-1'", "  flotilla generations -i inventory.yaml --json",
            ExitCodes.HELP})
final class GenerationsCommand implements Callable<Integer> {

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
        List<Host> targets;
        try {
            targets = fleet.targets(fleet.loadWith(connection.storeDir));
        } catch (IllegalArgumentException | InventoryException | dev.flotilla.deploy.fleet.FleetException e) {
            System.err.println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        var settings = connection.settings(Math.max(1, parallel), SwitchMode.SWITCH, System.err);
        boolean allOk = true;
        for (FleetQuery.Answer a : FleetQuery.ask(new SshAgents(settings), targets, Math.max(1, parallel))) {
            allOk &= a.ok();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("host", a.host().name());
                if (a.ok()) {
                    m.put("current", a.status().defaultGeneration());
                    m.put("generations", a.status().generations().stream().map(g -> Map.of("number", g.number(),
                            "storePath", g.storePath(), "created", g.created().toString(), "current", g.isDefault())).toList());
                } else {
                    m.put("error", a.error());
                }
                out.println(new ObjectMapper().writeValueAsString(m));
                continue;
            }
            out.println(a.host().name() + ":");
            if (!a.ok()) {
                out.println("  UNREACHABLE: " + a.error());
                continue;
            }
            if (a.status().generations().isEmpty()) {
                out.println("  (no generations)");
            }
            for (GenerationInfo g : a.status().generations()) {
                out.printf("  %4d   %s   %s%s%n", g.number(), g.created().toString().substring(0, 19).replace('T', ' '), g.storePath(),
                        g.isDefault() ? "   (current)" : "");
            }
        }
        return allOk ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
