package dev.flotilla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.GenerationAge;
import dev.flotilla.agent.GenerationInfo;
import dev.flotilla.agent.GenerationsDeleted;
import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.deploy.rollout.SshAgents;
import dev.flotilla.inventory.Host;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generations",
        mixinStandardHelpOptions = true,
        description = {"Every system generation each host keeps (like nix-env --list-generations), asking its agent.",
            "With --delete, deletes old ones on each host instead (never the current or the default one),",
            "keeping the --keep N newest and/or those younger than --older-than AGE, then collects garbage with --gc."},
        footer = {"", "Examples:", "  flotilla generations --fleet fleet/ --on 'web-1'", "  flotilla generations -i inventory.yaml --json",
            "  flotilla generations --fleet fleet/ --delete --keep 5 --gc",
            "  flotilla generations --fleet fleet/ --on '@db' --delete --older-than 30d",
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

    @Option(names = "--delete", description = "Delete old generations (say which with --keep and/or --older-than).")
    boolean delete;

    @Option(names = "--keep", paramLabel = "N", description = "With --delete: keep the N newest generations.")
    Integer keep;

    @Option(names = "--older-than", paramLabel = "AGE", description = "With --delete: only generations older than AGE (30d, 12h, 90m, 3600s).")
    String olderThan;

    @Option(names = "--gc", description = "With --delete: collect garbage on each host afterwards.")
    boolean gc;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        var selected = FleetQuery.targets(fleet, connection, System.err);
        if (selected.isEmpty()) {
            return ExitCodes.INVALID_INPUT;
        }
        List<Host> targets = selected.get();
        var settings = connection.settings(Math.max(1, parallel), SwitchMode.SWITCH, System.err);
        if (delete || keep != null || olderThan != null || gc) {
            return deleteGenerations(new SshAgents(settings), targets, out);
        }
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

    private int deleteGenerations(SshAgents agents, List<Host> targets, PrintStream out) throws Exception {
        if (!delete) {
            System.err.println("error: --keep, --older-than and --gc go with --delete");
            return ExitCodes.INVALID_INPUT;
        }
        if (keep == null && olderThan == null) {
            System.err.println("error: --delete needs --keep N and/or --older-than AGE (which generations may go)");
            return ExitCodes.INVALID_INPUT;
        }
        if (keep != null && keep < 1) {
            System.err.println("error: --keep must be at least 1");
            return ExitCodes.INVALID_INPUT;
        }
        Optional<Duration> age;
        try {
            age = Optional.ofNullable(olderThan).map(GenerationAge::parse);
        } catch (dev.flotilla.agent.AgentException e) {
            System.err.println("error: --older-than: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        OptionalInt keepN = keep == null ? OptionalInt.empty() : OptionalInt.of(keep);
        Semaphore slots = new Semaphore(Math.max(1, parallel));
        Map<Host, Future<String>> results = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Host h : targets) {
                results.put(h, pool.submit(() -> {
                    slots.acquire();
                    try (AgentClient client = agents.client(HostRecord.pending(h.name(), h.address(), h.port(),
                            h.hostKey().orElse(""), "", 0, "", 0, Instant.now()))) {
                        GenerationsDeleted d = client.deleteGenerations(keepN, age, gc);
                        return (d.deleted().isEmpty() ? "no generation deleted" : "deleted generations " + d.deleted())
                                + d.gc().map(g -> "; " + g).orElse("");
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        boolean allOk = true;
        for (var e : results.entrySet()) {
            String name = e.getKey().name();
            try {
                String done = e.getValue().get();
                out.println(json ? new ObjectMapper().writeValueAsString(Map.of("host", name, "result", done)) : name + ": " + done);
            } catch (java.util.concurrent.ExecutionException ex) {
                allOk = false;
                String why = ex.getCause().getMessage() == null ? ex.getCause().toString() : ex.getCause().getMessage();
                out.println(json ? new ObjectMapper().writeValueAsString(Map.of("host", name, "error", why)) : name + ": FAILED: " + why);
            }
        }
        return allOk ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
