package dev.flotilla.agent;

import dev.flotilla.agent.protocol.AgentJson;
import dev.flotilla.agent.system.SystemSwitcher;
import dev.flotilla.json.Json;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.TrustedKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/** Subcommands that act on this host's root directly (as root on the host), under the same host lock as the server. */
final class LocalCommands {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private LocalCommands() {
    }

    static class Local {
        @Option(names = "--root", defaultValue = "/", paramLabel = "DIR", description = "Physical root (default: ${DEFAULT-VALUE}).")
        Path root;

        @Option(names = "--store-dir", paramLabel = "DIR", defaultValue = "/flotilla/store", description = "Logical store directory.")
        String storeDir;

        @Option(names = "--services", paramLabel = "auto|builtin|systemd", defaultValue = "auto", description = "Service supervisor.")
        String services;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Agent open() throws IOException {
            return Agent.open(root, new StoreDir(storeDir), new TrustedKeys(List.of()), services);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the active system, generations, a switch awaiting confirmation, drift, services and recent journal entries.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Mixin
        Local local = new Local();

        @Override
        public Integer call() throws Exception {
            try (Agent agent = local.open()) {
                AgentStatus s = agent.switcher().status();
                if (local.json) {
                    System.out.println(Json.pretty(AgentJson.toJson(s)));
                    return 0;
                }
                System.out.println("active:     " + s.activeSystem().orElse("(none)"));
                System.out.println("default:    generation " + s.defaultGeneration());
                s.pending().ifPresent(p -> System.out.println("pending:    " + p.mode() + " to generation " + p.toGeneration()
                        + " (" + p.toplevel() + "), rolls back at " + p.deadline() + " unless confirmed"));
                s.lastRollback().ifPresent(r -> System.out.println("last rollback: " + DATE.format(r.time()) + " to generation "
                        + r.toGeneration() + ": " + r.reason()));
                System.out.println("drift:      " + (s.drift().isEmpty() ? "none" : ""));
                s.drift().forEach(d -> System.out.println("  " + d.kind() + " " + d.name() + ": " + d.detail()));
                System.out.println("services:   " + (s.services().isEmpty() ? "none" : ""));
                s.services().forEach(v -> System.out.println("  " + v.name() + " " + v.state()
                        + (v.pid().isPresent() ? " (pid " + v.pid().getAsLong() + ")" : "")));
                System.out.println("journal:");
                s.journal().forEach(e -> System.out.println("  " + DATE.format(e.time()) + " " + e.event() + " "
                        + e.fromGeneration() + " -> " + e.toGeneration() + (e.reason().isEmpty() ? "" : ": " + e.reason())));
                return 0;
            }
        }
    }

    @Command(name = "generations", mixinStandardHelpOptions = true,
            description = "List generations: number, date (UTC), closure size, deployment, toplevel; * marks the default.")
    static final class Generations implements Callable<Integer> {
        @CommandLine.Mixin
        Local local = new Local();

        @Override
        public Integer call() throws Exception {
            try (Agent agent = local.open()) {
                List<GenerationInfo> all = agent.switcher().generations(true);
                if (local.json) {
                    System.out.println(Json.pretty(AgentJson.toJson(all)));
                    return 0;
                }
                for (GenerationInfo g : all) {
                    System.out.printf(Locale.ROOT, "%s%4d  %s  %9s  %-20s %s%n", g.isDefault() ? "*" : " ", g.number(),
                            DATE.format(g.created()), size(g.closureSize()), g.deploymentId().orElse("-"), g.storePath());
                }
                return 0;
            }
        }
    }

    @Command(name = "delete-generations", mixinStandardHelpOptions = true,
            description = {"Delete old generations (never the default or active one), then optionally collect garbage.",
                    "With both options, a generation goes only if it is outside the N newest AND older than AGE."})
    static final class DeleteGenerations implements Callable<Integer> {
        @CommandLine.Mixin
        Local local = new Local();

        @Option(names = "--keep", paramLabel = "N", description = "Keep the N newest generations.")
        Integer keep;

        @Option(names = "--older-than", paramLabel = "AGE", description = "Only generations older than AGE: 30d, 12h, 90m or 3600s.")
        String olderThan;

        @Option(names = "--gc", description = "Collect garbage afterwards (when the store supports it).")
        boolean gc;

        @Override
        public Integer call() throws Exception {
            try (Agent agent = local.open()) {
                SystemSwitcher s = agent.switcher();
                List<Integer> deleted = s.deleteGenerations(keep == null ? OptionalInt.empty() : OptionalInt.of(keep),
                        Optional.ofNullable(olderThan).map(GenerationAge::parse));
                System.out.println(deleted.isEmpty() ? "no generation deleted" : "deleted generations " + deleted);
                if (gc) {
                    System.out.println(s.collectGarbage().orElse("garbage collection is not available in this store"));
                }
                return 0;
            }
        }
    }

    @Command(name = "drift", mixinStandardHelpOptions = true, description = "List managed /etc entries changed by hand; exit 1 if any.")
    static final class Drift implements Callable<Integer> {
        @CommandLine.Mixin
        Local local = new Local();

        @Override
        public Integer call() throws Exception {
            try (Agent agent = local.open()) {
                List<DriftEntry> drift = agent.switcher().drift();
                if (local.json) {
                    System.out.println(Json.pretty(AgentJson.driftJson(drift)));
                } else if (drift.isEmpty()) {
                    System.out.println("no drift");
                } else {
                    drift.forEach(d -> System.out.println(d.kind() + " " + d.name() + ": " + d.detail()));
                }
                return drift.isEmpty() ? 0 : 1;
            }
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Run the active system's health checks now and print them; changes nothing. Exit 1 when one fails.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Mixin
        Local local = new Local();

        @Override
        public Integer call() throws Exception {
            try (Agent agent = local.open()) {
                CheckReport report = agent.switcher().check();
                if (local.json) {
                    System.out.println(Json.pretty(AgentJson.toJson(report)));
                } else {
                    System.out.println(report.toplevel() + " (generation " + report.generation() + "): "
                            + (report.healthy() ? "healthy" : "UNHEALTHY"));
                    report.checks().forEach(c -> System.out.println("  " + (c.healthy() ? "ok   " : "FAIL ") + c.name()
                            + " (" + c.attempts() + " attempt(s), " + c.millis() + " ms)" + (c.output().isEmpty() ? "" : ": " + c.output())));
                }
                return report.healthy() ? 0 : 1;
            }
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Roll back to the previous generation (or --generation N), activate it and run its checks.")
    static final class Rollback implements Callable<Integer> {
        @CommandLine.Mixin
        Local local = new Local();

        @Option(names = "--generation", paramLabel = "N", description = "The generation to go back to.")
        Integer generation;

        @Override
        public Integer call() throws Exception {
            try (Agent agent = local.open()) {
                SwitchResult r = agent.switcher().rollback(generation == null ? OptionalInt.empty() : OptionalInt.of(generation));
                System.out.println(r.message());
                return r.healthy() ? 0 : 1;
            }
        }
    }

    /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 3600s}. */
    private static String size(long bytes) {
        if (bytes < 0) {
            return "?";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
