package dev.flotilla.cli.remote;

import dev.flotilla.cli.ExitCodes;
import dev.flotilla.deploy.plan.PlanException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "deploy",
        mixinStandardHelpOptions = true,
        description = {
            "Start a rollout on the controller (POST /api/v1/rollouts) and follow it to its end: a line per "
                + "host state change, then a table of hosts. The configuration path is read by the controller, "
                + "relative to its fleet-dir; hosts are the controller's (chosen with --on) or those of an "
                + "inventory file sent with the request."
        },
        footer = {
            "",
            "Examples:",
            "  flotilla remote --controller http://localhost:8080 deploy --config host.nix --on '@canary'",
            "  flotilla remote deploy --config /srv/fleet/host.nix --on '*' --parallel 20 --detach",
            "  flotilla remote deploy --config /srv/fleet/host.nix --on '*' --plan canary",
            "  flotilla remote deploy --config /srv/fleet/host.nix --on '*' --plan plans/waves.yaml",
            ExitCodes.HELP
        })
final class RemoteDeployCommand implements Callable<Integer> {

    @ParentCommand
    RemoteCommand remote;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "PATH", description = "The hosts' configuration (.nix), a path on the controller.")
    String config;

    @Option(names = "--on", paramLabel = "SELECTOR", description = "Hosts: names, globs (web-*), tags (@canary), '*' for all.")
    String selector;

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", description = "An inventory file, sent to the controller, instead of its hosts.")
    Path inventory;

    @Option(names = "--parallel", paramLabel = "N", description = "Hosts deployed at once (default: the controller's).")
    Integer parallel;

    @Option(names = "--mode", paramLabel = "MODE", description = "switch (default), test, boot, dry-activate.")
    String mode;

    @Option(names = "--plan", paramLabel = "NAME|FILE",
            description = "Rollout plan: a built-in name (all-at-once, rolling, canary) or a plan file, checked here and sent (default: all-at-once).")
    String plan;

    @Option(names = "--detach", description = "Print the rollout's id and return without following it.")
    boolean detach;

    @Option(names = "--json", description = "Print the events and the final rollout as JSON lines.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        ControllerClient client = remote.client();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("configPath", config);
        if (selector != null) {
            body.put("selector", selector);
        }
        if (inventory != null) {
            body.put("inventory", Files.readString(inventory));
        }
        if (parallel != null) {
            body.put("parallel", parallel);
        }
        if (mode != null) {
            body.put("mode", mode);
        }
        try {
            if (plan != null) {
                body.put("plan", RemotePlan.of(plan));
            }
        } catch (PlanException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        return Follow.start(client, "api/v1/rollouts", body, detach, json, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
