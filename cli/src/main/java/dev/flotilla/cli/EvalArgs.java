package dev.flotilla.cli;

import java.util.List;
import java.util.Optional;

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

    /** {@code args} after {@code eval}, as a ready {@link EvalCommand}, or empty when picocli must parse them. */
    static Optional<EvalCommand> parse(String[] args) {
        EvalCommand c = new EvalCommand();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-") || !arg.startsWith("-")) {
                c.files.add(arg);
                continue;
            }
            Boolean flagWasNew = setFlag(c, arg);
            if (flagWasNew != null) {
                if (!flagWasNew) {
                    return Optional.empty(); // given twice: picocli says so
                }
                continue;
            }
            int values = switch (arg) {
                case "--timeout", "-I", "-A", "--attr", "--store-dir", "--experimental-features", "--extra-experimental-features" -> 1;
                case "--option", "--arg", "--argstr" -> 2;
                default -> 0;
            };
            if (values == 0 || i + values >= args.length) {
                return Optional.empty();
            }
            String first = args[i + 1];
            String second = values == 2 ? args[i + 2] : null;
            if (looksLikeOption(first) || (second != null && looksLikeOption(second))) {
                return Optional.empty();
            }
            if ((arg.equals("--timeout") && c.timeout != null)
                    || (arg.equals("--store-dir") && !c.storeDir.equals(dev.flotilla.eval.EvalOptions.DEFAULT_STORE_DIR))) {
                return Optional.empty();
            }
            switch (arg) {
                case "--timeout" -> c.timeout = first;
                case "-I" -> c.includes.add(first);
                case "-A", "--attr" -> c.attrPaths.add(first);
                case "--store-dir" -> c.storeDir = first;
                case "--experimental-features", "--extra-experimental-features" -> c.experimentalFeatures.add(first);
                case "--option" -> c.nixOptions.addAll(List.of(first, second));
                case "--arg" -> c.args.addAll(List.of(first, second));
                default -> c.argstrs.addAll(List.of(first, second));
            }
            i += values;
        }
        return Optional.of(c);
    }

    /** Sets a flag: null if {@code arg} is none, else whether it was not set before. */
    private static Boolean setFlag(EvalCommand c, String arg) {
        boolean before;
        switch (arg) {
            case "--eval", "--eval-only" -> { before = c.eval; c.eval = true; }
            case "--read-write-mode", "--readonly-mode" -> { before = c.storeMode; c.storeMode = true; }
            case "--strict" -> { before = c.strict; c.strict = true; }
            case "--xml" -> { before = c.xml; c.xml = true; }
            case "--json" -> { before = c.json; c.json = true; }
            case "--no-location" -> { before = c.noLocation; c.noLocation = true; }
            case "--parse" -> { before = c.parse; c.parse = true; }
            case "-E", "--expr" -> { before = c.expressions; c.expressions = true; }
            case "--show-trace" -> { before = c.showTrace; c.showTrace = true; }
            default -> {
                return null;
            }
        }
        return !before;
    }

    private static boolean looksLikeOption(String value) {
        return value.startsWith("-") && !value.equals("-");
    }
}
