package dev.flotilla.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code eval} command line read without picocli. picocli's classes are compiled for Java 5, which the
 * JVM's ahead-of-time cache cannot hold, so loading them (about 180 classes, read and verified from the jar at
 * every start) took half of a short {@code flotilla eval}: 0.19 of 0.40 s for {@code eval --eval -E 1}. Only the
 * plain forms of nix-instantiate's flags are read here; anything else (help, version, {@code --fleet}, an unknown
 * option, a value that looks like an option, {@code --}) returns empty and picocli parses the whole line, so help
 * and error messages have one source. {@code EvalArgsTest} checks that both read the same lines alike.
 */
final class EvalArgs {
    private EvalArgs() {
    }

    /** One option: its name, how many values it takes, whether it may be given again, its other names. */
    private record Spec(String name, int values, boolean repeatable, String... aliases) {
    }

    private static final Map<String, Spec> OPTIONS = byName(List.of(
            new Spec("--eval", 0, false, "--eval-only"), new Spec("--read-write-mode", 0, false, "--readonly-mode"),
            new Spec("--strict", 0, false), new Spec("--xml", 0, false), new Spec("--json", 0, false),
            new Spec("--no-location", 0, false), new Spec("--parse", 0, false), new Spec("--show-trace", 0, false),
            new Spec("-E", 0, false, "--expr"), new Spec("--timeout", 1, false), new Spec("--store-dir", 1, false),
            new Spec("-I", 1, true), new Spec("-A", 1, true, "--attr"),
            new Spec("--experimental-features", 1, true, "--extra-experimental-features"),
            new Spec("--option", 2, true), new Spec("--arg", 2, true), new Spec("--argstr", 2, true)));

    /** {@code args} after {@code eval}, as a ready {@link EvalCommand}, or empty when picocli must parse them. */
    static Optional<EvalCommand> parse(String[] args) {
        EvalCommand c = new EvalCommand();
        Set<String> given = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-") || !arg.startsWith("-")) {
                c.files.add(arg);
                continue;
            }
            Spec spec = OPTIONS.get(arg);
            if (spec == null || i + spec.values() >= args.length || (!spec.repeatable() && !given.add(spec.name()))) {
                return Optional.empty(); // unknown, a value missing, or given twice: picocli says which
            }
            String first = spec.values() > 0 ? args[i + 1] : null;
            String second = spec.values() > 1 ? args[i + 2] : null;
            if ((first != null && looksLikeOption(first)) || (second != null && looksLikeOption(second))) {
                return Optional.empty();
            }
            set(c, spec.name(), first, second);
            i += spec.values();
        }
        return Optional.of(c);
    }

    private static void set(EvalCommand c, String option, String first, String second) {
        switch (option) {
            case "--eval" -> c.eval = true;
            case "--read-write-mode" -> c.storeMode = true;
            case "--strict" -> c.strict = true;
            case "--xml" -> c.xml = true;
            case "--json" -> c.json = true;
            case "--no-location" -> c.noLocation = true;
            case "--parse" -> c.parse = true;
            case "--show-trace" -> c.showTrace = true;
            case "-E" -> c.expressions = true;
            case "--timeout" -> c.timeout = first;
            case "--store-dir" -> c.storeDir = first;
            case "-I" -> c.includes.add(first);
            case "-A" -> c.attrPaths.add(first);
            case "--experimental-features" -> c.experimentalFeatures.add(first);
            case "--option" -> c.nixOptions.addAll(List.of(first, second));
            case "--arg" -> c.args.addAll(List.of(first, second));
            case "--argstr" -> c.argstrs.addAll(List.of(first, second));
            default -> throw new IllegalStateException("no field for " + option);
        }
    }

    private static Map<String, Spec> byName(List<Spec> specs) {
        Map<String, Spec> byName = new HashMap<>();
        for (Spec spec : specs) {
            byName.put(spec.name(), spec);
            for (String alias : spec.aliases()) {
                byName.put(alias, spec);
            }
        }
        return Map.copyOf(byName);
    }

    private static boolean looksLikeOption(String value) {
        return value.startsWith("-") && !value.equals("-");
    }
}
