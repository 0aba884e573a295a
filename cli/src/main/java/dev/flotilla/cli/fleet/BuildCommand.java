package dev.flotilla.cli.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.ExitCodes;
import dev.flotilla.cli.Workspace;
import dev.flotilla.deploy.fleet.FleetBuild;
import dev.flotilla.deploy.fleet.FleetConfig;
import dev.flotilla.deploy.fleet.FleetException;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.HostSelector;
import dev.flotilla.inventory.InventoryException;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.build.BuildLogs;
import dev.flotilla.store.build.Sandbox;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla build --fleet DIR}: evaluate and build hosts' systems into the local store, nothing deployed. */
@Command(name = "build",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate a fleet folder (fleet.nix + inventory.yaml) with the module system,",
            "build each selected host's system into the local store (signed), and print",
            "each host's toplevel store path as it is done. Derivations the systems use",
            "are built first, in a bubblewrap sandbox; their logs are kept per derivation",
            "(--log shows them). Writes flotilla.lock (the hash of every input the",
            "evaluation read) when it changes, unless --locked."
        },
        footer = {
            "",
            "Examples:",
            "  flotilla build --fleet examples/web-fleet",
            "  flotilla build --fleet fleet/ --on '@canary'",
            "  flotilla build --fleet fleet/ --on 'web-*,!web-3' --json | jq -r .toplevel",
            "  flotilla build --fleet fleet/ --locked     # CI: inputs must match flotilla.lock",
            "  flotilla build --fleet fleet/ --log web-1  # build logs of web-1's derivations",
            "  flotilla build --fleet fleet/ --log hello  # the log of hello.drv",
            "",
            "Exit codes: 0 every selected host built; 2 invalid input (options, inventory,",
            "a configuration that does not evaluate or build, --locked and an input that",
            "changed); 70 internal error."
        })
public final class BuildCommand implements Callable<Integer> {

    @Option(names = "--fleet", required = true, paramLabel = "DIR", description = "Fleet folder: fleet.nix, inventory.yaml, optional plans/ and flotilla.lock.")
    Path fleet;

    @Option(names = "--on", paramLabel = "SELECTOR",
            description = "Only these hosts: names, globs (web-*), groups, tags (@canary), ',' for union, '!' to exclude.")
    String on;

    @Option(names = "--json", description = "Print one JSON object per host instead of text.")
    boolean json;

    @Option(names = "--locked", description = "Refuse to evaluate when an input differs from flotilla.lock; never write the lock.")
    boolean locked;

    @Option(names = "--sandbox", defaultValue = "auto", paramLabel = "MODE",
            description = "Derivation builders: auto (bubblewrap when installed, else a loud warning), required, off (default: ${DEFAULT-VALUE}).")
    String sandbox;

    @Option(names = "--log", paramLabel = "HOST|DRV",
            description = "Print the build logs of a host's derivations, or of one derivation (.drv path, base name or name), instead of building.")
    String log;

    @Option(names = "--parallel", defaultValue = "4", paramLabel = "N", description = "Hosts evaluated and built at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--state", paramLabel = "DIR", description = "State directory: local store and keys. Default: $FLOTILLA_STATE or ~/.local/state/flotilla.")
    Path state;

    @Option(names = "--store-dir", defaultValue = "/flotilla/store", paramLabel = "DIR", description = "Logical store directory (default: ${DEFAULT-VALUE}).")
    String storeDir;

    @Spec
    CommandSpec spec;

    /** Runs this command alone (benchmarks, and until it is registered in Main). */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new BuildCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Workspace ws = new Workspace(state != null ? state : Workspace.defaultDir(), new StoreDir(storeDir));
        FleetConfig.Options options;
        try {
            options = FleetConfig.Options.defaults().withStoreDir(storeDir).withLocked(locked).withThreads(parallel)
                    .withSandbox(Sandbox.Mode.parse(sandbox)).withProgress(line -> {
                        synchronized (err) {
                            err.println(line);
                            err.flush();
                        }
                    });
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        try (FleetConfig config = FleetConfig.load(fleet, options)) {
            if (log != null) {
                return showLogs(config, ws.store(), out, err);
            }
            List<Host> targets = on == null ? config.inventory().hosts() : HostSelector.parse(on).select(config.inventory());
            LocalStore store = ws.store();
            SigningKey key = ws.signingKey(new java.io.PrintStream(System.err, true));
            ObjectMapper mapper = new ObjectMapper();
            List<FleetBuild.Result> results = FleetBuild.run(config, targets, store, key, parallel, r -> {
                print(r, out, err, mapper);
                if (r instanceof FleetBuild.Result.Built b) {
                    BuildRecords.remember(ws.dir(), b.host(), b.toplevel().path());
                }
            });
            boolean failed = results.stream().anyMatch(r -> r instanceof FleetBuild.Result.Failed);
            if (!failed && config.updateLock() && !json) {
                err.println("wrote " + config.dir().resolve(dev.flotilla.deploy.fleet.FleetLock.FILE));
            }
            out.flush();
            return failed ? ExitCodes.INVALID_INPUT : ExitCodes.OK;
        } catch (FleetException | InventoryException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
    }

    /** {@code --log HOST|DRV}: the logs of the host's derivations, or of the derivations matching DRV. */
    private int showLogs(FleetConfig config, LocalStore store, PrintWriter out, PrintWriter err) throws java.io.IOException {
        BuildLogs logs = config.logs(store);
        List<Path> files = new java.util.ArrayList<>();
        if (config.inventory().host(log).isPresent()) {
            for (String drv : config.derivationsOf(log)) {
                Path f = logs.file(drv);
                if (java.nio.file.Files.isRegularFile(f)) {
                    files.add(f);
                } else {
                    err.println(drv + ": no build log (not built on this machine, or built before logs were kept)");
                }
            }
            if (files.isEmpty()) {
                err.println("host " + log + ": no derivation build logs" + (config.derivationsOf(log).isEmpty() ? " (its system uses no derivation)" : ""));
                return ExitCodes.INVALID_INPUT;
            }
        } else {
            files.addAll(logs.find(log));
            if (files.isEmpty()) {
                err.println("error: no host and no build log named '" + log + "' (logs are in " + logs.dir() + ")");
                return ExitCodes.INVALID_INPUT;
            }
        }
        for (Path f : files) {
            out.println("==> " + f + " <==");
            out.print(java.nio.file.Files.readString(f, java.nio.charset.StandardCharsets.UTF_8));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void print(FleetBuild.Result r, PrintWriter out, PrintWriter err, ObjectMapper mapper) {
        try {
            switch (r) {
                case FleetBuild.Result.Built b when json -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("host", b.host());
                    m.put("toplevel", b.toplevel().path().absolute());
                    m.put("narSize", b.toplevel().narSize());
                    m.put("references", b.toplevel().references().stream().map(p -> p.absolute()).toList());
                    m.put("millis", b.took().toMillis());
                    out.println(mapper.writeValueAsString(m));
                }
                case FleetBuild.Result.Built b -> out.println(b.host() + " " + b.toplevel().path().absolute());
                case FleetBuild.Result.Failed f when json -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("host", f.host());
                    m.put("error", f.error().getMessage());
                    m.put("kind", f.error().kind().name());
                    out.println(mapper.writeValueAsString(m));
                }
                case FleetBuild.Result.Failed f -> err.println("error: " + f.error().getMessage());
            }
            out.flush();
            err.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
