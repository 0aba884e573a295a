package dev.flotilla.cli;

import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.EvalOptions;
import dev.flotilla.eval.EvalOptions.SearchPathEntry;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.eval.Instantiate;
import dev.flotilla.eval.Instantiate.AutoArg;
import dev.flotilla.eval.Instantiate.Output;
import dev.flotilla.eval.Instantiate.Request;
import dev.flotilla.deploy.fleet.FleetConfig;
import dev.flotilla.deploy.fleet.FleetException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flotilla eval}: the Nix evaluator with nix-instantiate's flags, so the Nix language
 * test corpus (and people used to nix-instantiate) can drive it directly.
 */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate Nix expressions (nix-instantiate compatible).",
            "Without --eval, prints the .drv paths of the derivations the expression evaluates to."
        },
        footer = {
            "",
            "Examples:",
            "  flotilla eval --eval -E '1 + 2'                         # 3",
            "  flotilla eval --eval --strict --json -E '{ a = [ 1 2 ]; }'",
            "  flotilla eval --eval --strict -A hosts.web1 fleet.nix --argstr env prod",
            "  flotilla eval --eval --xml --no-location --strict file.nix",
            "  flotilla eval --parse file.nix                          # syntax check only",
            "  flotilla eval -I nixpkgs=/src/nixpkgs --eval -E '<nixpkgs>'",
            "  flotilla eval --fleet examples/web-fleet --host web-1     # a host's merged options, as JSON",
            "",
            "NIX_PATH is read after the -I entries. Errors go to stderr as 'error: file:line:col: ...'; exit status 1."
        })
public final class EvalCommand implements Callable<Integer> {

    @Option(names = {"--eval", "--eval-only"}, description = "Evaluate and print the value (instead of instantiating derivations).")
    boolean eval;

    // nix-instantiate's settings that do not change what an evaluation prints; accepted so its command lines work.
    @Option(names = {"--read-write-mode", "--readonly-mode"}, hidden = true)
    boolean storeMode;

    @Option(names = "--timeout", paramLabel = "SECONDS", hidden = true)
    String timeout;

    @Option(names = "--option", arity = "2", paramLabel = "NAME VALUE", hidden = true)
    List<String> nixOptions = new ArrayList<>();

    @Option(names = {"--experimental-features", "--extra-experimental-features"}, paramLabel = "FEATURES", hidden = true)
    List<String> experimentalFeatures = new ArrayList<>();

    /** The experimental features Nix 2.8 knows: it warns about any other name, and so does this command. */
    private static final Set<String> NIX_FEATURES = Set.of("nix-command", "flakes", "ca-derivations",
            "impure-derivations", "recursive-nix", "no-url-literals", "fetch-closure");

    @Option(names = "--strict", description = "Evaluate the result deeply before printing.")
    boolean strict;

    @Option(names = "--xml", description = "Print the value as XML.")
    boolean xml;

    @Option(names = "--json", description = "Print the value as JSON.")
    boolean json;

    @Option(names = "--no-location", description = "Omit source locations in --xml output.")
    boolean noLocation;

    @Option(names = "--parse", description = "Only parse the input (a file, or '-' for stdin).")
    boolean parse;

    @Option(names = {"-E", "--expr"}, description = "The arguments are expressions to evaluate, not files.")
    boolean expressions;

    @Option(names = "-I", paramLabel = "DIR|PREFIX=DIR", description = "Add to the search path for <...> lookups.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--arg", arity = "2", paramLabel = "NAME EXPR", description = "Pass EXPR as argument NAME to a top-level function.")
    List<String> args = new ArrayList<>();

    @Option(names = "--argstr", arity = "2", paramLabel = "NAME STRING", description = "Pass STRING as argument NAME to a top-level function.")
    List<String> argstrs = new ArrayList<>();

    @Option(names = {"-A", "--attr"}, paramLabel = "ATTRPATH", description = "Select an attribute (a.b.0.c) from the result.")
    List<String> attrPaths = new ArrayList<>();

    @Option(names = "--show-trace", description = "Show the evaluation trace of errors.")
    boolean showTrace;

    @Option(names = "--store-dir", paramLabel = "DIR", defaultValue = EvalOptions.DEFAULT_STORE_DIR,
            description = "Logical store directory (default: ${DEFAULT-VALUE}).")
    String storeDir = EvalOptions.DEFAULT_STORE_DIR;

    @Option(names = "--fleet", paramLabel = "DIR",
            description = "Evaluate a fleet folder (inventory.yaml + fleet.nix) for one host and print its configuration as JSON.")
    Path fleet;

    @Option(names = "--host", paramLabel = "NAME", description = "With --fleet: the host whose configuration to print.")
    String host;

    @Parameters(paramLabel = "FILE|EXPR", arity = "0..*",
            description = "Files to evaluate ('-' for stdin; default ./default.nix), or with -E expressions.")
    List<String> files = new ArrayList<>();

    public EvalCommand() {
    }

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        for (String features : experimentalFeatures) {
            for (String feature : features.trim().split("\\s+")) {
                if (!feature.isEmpty() && !NIX_FEATURES.contains(feature)) {
                    err.println("warning: unknown experimental feature '" + feature + "'");
                }
            }
        }
        if (fleet != null || host != null) {
            return evalFleetHost(out, err);
        }
        List<SearchPathEntry> searchPath = new ArrayList<>();
        includes.forEach(i -> searchPath.add(SearchPathEntry.parse(i)));
        searchPath.addAll(EvalOptions.parseNixPath(System.getenv("NIX_PATH")));
        EvalOptions options = EvalOptions.defaults().withStoreDir(storeDir).withSearchPath(searchPath);
        Evaluator evaluator = new Evaluator(options);

        Map<String, AutoArg> autoArgs = new LinkedHashMap<>();
        for (int k = 0; k + 1 < args.size(); k += 2) autoArgs.put(args.get(k), new AutoArg(args.get(k + 1), false));
        for (int k = 0; k + 1 < argstrs.size(); k += 2) autoArgs.put(argstrs.get(k), new AutoArg(argstrs.get(k + 1), true));
        Output output = xml ? Output.XML : json ? Output.JSON : Output.TEXT;

        // As nix-instantiate: with -E every argument is an expression (none: nothing to do); else files.
        List<String> sources = expressions || !files.isEmpty() ? files : List.of("./default.nix");
        for (String source : sources) {
            String stdin = !expressions && source.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : null;
            Request request = new Request(expressions ? null : source, expressions ? source : null, stdin, parse, eval, strict, output,
                    !noLocation, attrPaths, autoArgs, Path.of("").toAbsolutePath());
            try {
                String result = Instantiate.run(evaluator, request);
                out.write(result.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (EvalException e) {
                printError(err, e);
                return 1;
            }
        }
        return ExitCodes.OK;
    }

    /** Every option of one host of a fleet folder, after the module system merged them. */
    private int evalFleetHost(PrintStream out, PrintStream err) {
        if (fleet == null || host == null) {
            err.println("error: --fleet DIR and --host NAME go together");
            return ExitCodes.INVALID_INPUT;
        }
        try (FleetConfig config = FleetConfig.load(fleet)) {
            out.println(config.configJson(host));
            return ExitCodes.OK;
        } catch (FleetException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
    }

    private void printError(PrintStream err, EvalException e) {
        byte[] text = e.render(showTrace).getBytes(StandardCharsets.ISO_8859_1);
        err.write(text, 0, text.length);
        err.flush();
    }
}
