package dev.flotilla.eval;

import dev.flotilla.eval.EvalOptions.SearchPathEntry;
import dev.flotilla.eval.Instantiate.AutoArg;
import dev.flotilla.eval.Instantiate.Output;
import dev.flotilla.eval.Instantiate.Request;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs the Nix 2.8 language corpus in-process with run-corpus.sh's semantics (mode 2.8):
 * parse-okay/parse-fail via --parse, eval-fail via --eval, eval-okay via .flags + --eval --strict
 * with NIX_PATH=lang/dir3:lang/dir4 (compared with .exp after replacing the cwd by /pwd) and
 * --eval --xml --no-location --strict for .exp.xml. Also has a main() for quick manual runs.
 */
final class CorpusRunner {
    /** Result of one corpus test; {@code detail} says why it failed. */
    record Result(String name, boolean passed, String detail) {}

    private final Path corpus;

    CorpusRunner(Path corpus) {
        this.corpus = corpus.toAbsolutePath().normalize();
    }

    static PrintStream nullStream() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    Map<String, Result> runAll(String only) throws IOException {
        Map<String, Result> results = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(corpus.resolve("lang"))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".nix")).sorted().toList();
        }
        for (Path f : files) {
            String base = f.getFileName().toString().replaceAll("\\.nix$", "");
            if (only != null && !base.contains(only)) continue;
            if (base.startsWith("parse-fail-")) results.put(base, parse(base, false));
            else if (base.startsWith("parse-okay-")) results.put(base, parse(base, true));
            else if (base.startsWith("eval-fail-")) results.put(base, evalFail(base));
            else if (base.startsWith("eval-okay-")) {
                if (Files.exists(lang(base + ".exp"))) results.put(base, evalText(base));
                if (Files.exists(lang(base + ".exp.xml"))) results.put(base + " (xml)", evalXml(base));
            }
        }
        return results;
    }

    private Path lang(String name) {
        return corpus.resolve("lang").resolve(name);
    }

    private Evaluator evaluator(List<SearchPathEntry> searchPath) {
        EvalOptions o = new EvalOptions("/nix/store", searchPath, Map.of("TEST_VAR", "foo")::get, "x86_64-linux",
                "/fake-home", nullStream());
        return new Evaluator(o);
    }

    private Request request(String base, boolean parseOnly, boolean eval, boolean strict, Output out,
                            List<String> attrPaths, Map<String, AutoArg> args) {
        return new Request("lang/" + base + ".nix", null, null, parseOnly, eval, strict, out, false, attrPaths, args, corpus);
    }

    private Result parse(String base, boolean shouldParse) {
        try {
            Instantiate.run(evaluator(List.of()), request(base, true, false, false, Output.TEXT, null, null));
            return new Result(base, shouldParse, "parsed but should not");
        } catch (EvalException e) {
            return new Result(base, !shouldParse, "did not parse: " + e.getMessage());
        } catch (RuntimeException e) {
            return new Result(base, false, "crashed: " + e);
        }
    }

    private Result evalFail(String base) {
        try {
            Instantiate.run(evaluator(List.of()), request(base, false, true, false, Output.TEXT, null, null));
            return new Result(base, false, "evaluated but should fail");
        } catch (EvalException e) {
            return new Result(base, true, e.getMessage());
        } catch (RuntimeException e) {
            return new Result(base, false, "crashed: " + e);
        }
    }

    private Result evalText(String base) {
        List<SearchPathEntry> sp = new ArrayList<>();
        List<String> attrPaths = new ArrayList<>();
        Map<String, AutoArg> args = new LinkedHashMap<>();
        try {
            if (Files.exists(lang(base + ".flags"))) {
                String[] w = Files.readString(lang(base + ".flags")).trim().split("\\s+");
                for (int k = 0; k < w.length; k++) {
                    switch (w[k]) {
                        case "--arg" -> { args.put(w[k + 1], new AutoArg(w[k + 2], false)); k += 2; }
                        case "--argstr" -> { args.put(w[k + 1], new AutoArg(w[k + 2], true)); k += 2; }
                        case "-A" -> attrPaths.add(w[++k]);
                        case "-I" -> sp.add(absolute(SearchPathEntry.parse(w[++k])));
                        default -> { }
                    }
                }
            }
            for (SearchPathEntry e : EvalOptions.parseNixPath("lang/dir3:lang/dir4")) sp.add(absolute(e));
            String out = Instantiate.run(evaluator(sp), request(base, false, true, true, Output.TEXT, attrPaths, args));
            out = out.replace(corpus.toString(), "/pwd");
            String exp = Files.readString(lang(base + ".exp"), StandardCharsets.ISO_8859_1);
            String got = new String(out.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
            return got.equals(exp) ? new Result(base, true, "") : new Result(base, false, "got " + trim(got) + " expected " + trim(exp));
        } catch (EvalException e) {
            return new Result(base, false, "error: " + e.getMessage());
        } catch (RuntimeException | IOException e) {
            return new Result(base, false, "crashed: " + e);
        }
    }

    private Result evalXml(String base) {
        try {
            String out = Instantiate.run(evaluator(List.of()), request(base, false, true, true, Output.XML, null, null));
            String exp = Files.readString(lang(base + ".exp.xml"), StandardCharsets.ISO_8859_1);
            String name = base + " (xml)";
            return out.equals(exp) ? new Result(name, true, "") : new Result(name, false, "xml differs: " + trim(out));
        } catch (EvalException e) {
            return new Result(base + " (xml)", false, "error: " + e.getMessage());
        } catch (RuntimeException | IOException e) {
            return new Result(base + " (xml)", false, "crashed: " + e);
        }
    }

    private SearchPathEntry absolute(SearchPathEntry e) {
        Path p = Path.of(e.path());
        return new SearchPathEntry(e.prefix(), p.isAbsolute() ? e.path() : corpus.resolve(p).normalize().toString());
    }

    private static String trim(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    public static void main(String[] args) throws IOException {
        CorpusRunner r = new CorpusRunner(Path.of(args.length > 0 ? args[0] : "/work/shared/conformance/nix-lang"));
        boolean list = args.length > 1 && args[1].equals("--list-passing");
        Map<String, Result> res = r.runAll(args.length > 1 && !list ? args[1] : null);
        if (list) {
            res.values().stream().filter(Result::passed).forEach(x -> System.out.println(x.name()));
            return;
        }
        int pass = 0;
        for (Result x : res.values()) {
            if (x.passed()) pass++;
            else System.out.println("FAIL " + x.name() + ": " + x.detail());
        }
        System.out.println(pass + " passed, " + (res.size() - pass) + " failed");
    }
}
