package dev.flotilla.cli.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flotilla.cli.ExitCodes;
import dev.flotilla.cli.Workspace;
import dev.flotilla.deploy.fleet.ClosureDiff;
import dev.flotilla.deploy.fleet.FleetConfig;
import dev.flotilla.deploy.fleet.FleetException;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StorePath;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla diff --fleet DIR --host NAME}: what building the host now changes in its closure. */
@Command(name = "diff",
        mixinStandardHelpOptions = true,
        description = {
            "Build a host's system from a fleet folder and compare its closure with an",
            "earlier one (--from, or the host's last 'flotilla build'): store paths added",
            "(+), removed (-) and changed (~, same name, new hash), with their sizes.",
            "Nothing is deployed, and the build record is not updated."
        },
        footer = {
            "",
            "Examples:",
            "  flotilla build --fleet fleet/ --on web-1      # remember web-1's current system",
            "  $EDITOR fleet/modules/web.nix",
            "  flotilla diff --fleet fleet/ --host web-1",
            "  flotilla diff --fleet fleet/ --host web-1 --json \\",
            "      --from /flotilla/store/<hash>-flotilla-system-web-1",
            "",
            "Exit codes: 0 compared (whether or not anything differs); 2 invalid input",
            "(options, configuration, no earlier build and no --from, --from not in the",
            "store); 70 internal error."
        })
public final class DiffCommand implements Callable<Integer> {

    @Option(names = "--fleet", required = true, paramLabel = "DIR", description = "Fleet folder: fleet.nix and inventory.yaml.")
    Path fleet;

    @Option(names = "--host", required = true, paramLabel = "NAME", description = "The host to build and compare.")
    String host;

    @Option(names = "--from", paramLabel = "PATH", description = "Toplevel to compare with (default: the host's last 'flotilla build').")
    String from;

    @Option(names = "--json", description = "Print the difference as one JSON object.")
    boolean json;

    @Option(names = "--state", paramLabel = "DIR", description = "State directory: local store and keys. Default: $FLOTILLA_STATE or ~/.local/state/flotilla.")
    Path state;

    @Option(names = "--store-dir", defaultValue = "/flotilla/store", paramLabel = "DIR", description = "Logical store directory (default: ${DEFAULT-VALUE}).")
    String storeDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StoreDir sd = new StoreDir(storeDir);
        Workspace ws = new Workspace(state != null ? state : Workspace.defaultDir(), sd);
        try (FleetConfig config = FleetConfig.load(fleet, FleetConfig.Options.defaults().withStoreDir(storeDir))) {
            LocalStore store = ws.store();
            Optional<StorePath> before = from != null ? Optional.of(parse(sd, from)) : BuildRecords.last(ws.dir(), sd, host);
            if (before.isEmpty()) {
                err.println("error: no earlier build of " + host + " in " + ws.dir() + "; run 'flotilla build --fleet "
                        + fleet + " --on " + host + "' first, or pass --from PATH");
                return ExitCodes.INVALID_INPUT;
            }
            if (!store.isValid(before.get())) {
                err.println("error: " + before.get() + " is not in the store " + ws.dir().resolve("root"));
                return ExitCodes.INVALID_INPUT;
            }
            PathInfo now = config.build(host, store, ws.signingKey(new java.io.PrintStream(System.err, true)));
            ClosureDiff diff = ClosureDiff.between(store, before.get(), now.path());
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(diff)));
            } else {
                print(diff, out);
            }
            out.flush();
            return ExitCodes.OK;
        } catch (FleetException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
    }

    private static StorePath parse(StoreDir sd, String text) {
        return text.startsWith("/") ? StorePath.parse(sd, text) : StorePath.fromBaseName(sd, text);
    }

    private void print(ClosureDiff d, PrintWriter out) {
        out.println(host + ": " + d.from().absolute() + " -> " + d.to().absolute());
        if (d.isEmpty()) {
            out.println("  no change");
        }
        for (ClosureDiff.Change c : d.changed()) {
            out.printf("  ~ %-40s %s -> %s (%s%s)%n", c.name(), ClosureDiff.human(c.from().narSize()), ClosureDiff.human(c.to().narSize()),
                    c.delta() >= 0 ? "+" : "", ClosureDiff.human(c.delta()));
        }
        for (PathInfo p : d.added()) {
            out.printf("  + %-40s %s%n", p.path().baseName(), ClosureDiff.human(p.narSize()));
        }
        for (PathInfo p : d.removed()) {
            out.printf("  - %-40s %s%n", p.path().baseName(), ClosureDiff.human(p.narSize()));
        }
        out.printf("closure: %d paths, %s -> %d paths, %s%n", d.fromCount(), ClosureDiff.human(d.fromSize()), d.toCount(), ClosureDiff.human(d.toSize()));
    }

    private Map<String, Object> toJson(ClosureDiff d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("from", d.from().absolute());
        m.put("to", d.to().absolute());
        m.put("added", d.added().stream().map(DiffCommand::entry).toList());
        m.put("removed", d.removed().stream().map(DiffCommand::entry).toList());
        m.put("changed", d.changed().stream().map(c -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", c.name());
            e.put("from", c.from().path().absolute());
            e.put("to", c.to().path().absolute());
            e.put("fromSize", c.from().narSize());
            e.put("toSize", c.to().narSize());
            return e;
        }).toList());
        m.put("fromClosureSize", d.fromSize());
        m.put("toClosureSize", d.toSize());
        return m;
    }

    private static Map<String, Object> entry(PathInfo p) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("path", p.path().absolute());
        e.put("narSize", p.narSize());
        return e;
    }
}
