package dev.flotilla.eval;

import dev.flotilla.eval.print.JsonPrinter;
import dev.flotilla.eval.print.ValuePrinter;
import dev.flotilla.eval.print.XmlPrinter;
import dev.flotilla.eval.syntax.Expr;
import dev.flotilla.eval.syntax.ExprPrinter;
import dev.flotilla.eval.syntax.SymbolOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nix-instantiate's behaviour, independent of any command-line library: the CLI's
 * {@code eval} command and the conformance tests both go through here.
 */
public final class Instantiate {
    public enum Output { TEXT, XML, JSON }

    /** An automatic argument: an expression ({@code --arg}) or a literal string ({@code --argstr}). */
    public record AutoArg(String text, boolean isString) {}

    /**
     * @param source   a file name, "-" for stdin, or null with {@code expr}
     * @param expr     {@code -E} text, or null
     * @param eval     {@code --eval}; when false (and not parseOnly) derivations are instantiated
     * @param cwd      directory that relative files and {@code --arg} expressions are resolved against
     */
    public record Request(String source, String expr, String stdinText, boolean parseOnly, boolean eval, boolean strict,
                          Output output, boolean location, List<String> attrPaths, Map<String, AutoArg> autoArgs, Path cwd) {
        public Request {
            attrPaths = attrPaths == null || attrPaths.isEmpty() ? List.of("") : List.copyOf(attrPaths);
            autoArgs = autoArgs == null ? Map.of() : new LinkedHashMap<>(autoArgs);
            cwd = cwd == null ? Path.of("").toAbsolutePath() : cwd.toAbsolutePath();
            output = output == null ? Output.TEXT : output;
        }
    }

    private Instantiate() {}

    /** Runs the request; returns what nix-instantiate prints on stdout. Errors are {@link EvalException}s. */
    public static String run(Evaluator evaluator, Request r) {
        return Boundary.onBigStack(() -> runHere(evaluator, r));
    }

    static String runHere(Evaluator evaluator, Request r) {
        EvalSession s = evaluator.newSession();
        String cwd = Bytes.fromJava(r.cwd().toString());
        if (r.parseOnly()) {
            Expr parsed = parse(s, r, cwd);
            return ExprPrinter.print(parsed, SymbolOrder.of(internedAtStartup(), List.of(s.parseOnly(DerivationNix.SOURCE,
                    DerivationNix.FILE, "/")), parsed)) + "\n";
        }
        Value root = root(s, r, cwd);
        NixAttrs autoArgs = autoArgs(s, r, cwd);
        StringBuilder out = new StringBuilder();
        for (String attrPath : r.attrPaths()) {
            Value v = AttrPath.find(s.interpreter(), root, attrPath, autoArgs);
            // like nix-instantiate: --eval calls a function result only when given --arg/--argstr
            if (!r.eval() || !r.autoArgs().isEmpty()) v = AutoCall.call(s.interpreter(), v, autoArgs);
            out.append(r.eval() ? render(s, v, r) : drvPaths(v));
        }
        return out.toString();
    }

    private static Expr parse(EvalSession s, Request r, String cwd) {
        if (r.expr() != null) return s.parseOnly(Bytes.fromJava(r.expr()), "(string)", cwd);
        if (r.source().equals("-")) return s.parseOnly(Bytes.fromJava(r.stdinText()), "(stdin)", cwd);
        String file = file(r, cwd);
        try {
            String src = Bytes.of(java.nio.file.Files.readAllBytes(Bytes.path(file)));
            return s.parseOnly(src, file, dev.flotilla.eval.syntax.Paths.dirOf(file));
        } catch (java.io.IOException e) {
            throw new EvalException(Pos.NONE, "opening file '" + file + "': No such file or directory");
        }
    }

    // Nix 2.8's EvalState interns these before its base environment (see SymbolOrder).
    private static final List<String> EVAL_STATE_SYMBOLS = List.of("<with>", "outPath", "drvPath", "type", "meta",
            "name", "value", "system", "__overrides", "outputs", "outputName", "__ignoreNulls", "file", "line", "column",
            "__functor", "__toString", "right", "wrong", "__structuredAttrs", "builder", "args", "__contentAddressed",
            "__impure", "outputHash", "outputHashAlgo", "outputHashMode", "recurseForDerivations", "description",
            "self", "", "startSet", "operator", "key", "path", "prefix", "outputSpecified");

    private static List<String> internedAtStartup() {
        List<String> names = new ArrayList<>(EVAL_STATE_SYMBOLS);
        names.addAll(Globals.NAMES);
        for (String primop : dev.flotilla.eval.builtins.Registry.all().keySet()) {
            names.add("__" + primop);
            names.add(primop);
        }
        return names;
    }

    private static String file(Request r, String cwd) {
        String f = Bytes.fromJava(r.source());
        return dev.flotilla.eval.syntax.Paths.canon(f.startsWith("/") ? f : cwd + "/" + f);
    }

    private static Value root(EvalSession s, Request r, String cwd) {
        if (r.expr() != null) return s.evalSource(Bytes.fromJava(r.expr()), "(string)", cwd);
        if (r.source().equals("-")) return s.evalSource(Bytes.fromJava(r.stdinText()), "(stdin)", cwd);
        return s.importFile(file(r, cwd), Pos.NONE);
    }

    private static NixAttrs autoArgs(EvalSession s, Request r, String cwd) {
        NixAttrs.Builder b = NixAttrs.builder();
        r.autoArgs().forEach((name, arg) -> {
            Lazy v = arg.isString()
                    ? new NixString(Bytes.fromJava(arg.text()))
                    : new Thunk(() -> s.evalSource(Bytes.fromJava(arg.text()), "(string)", cwd));
            b.put(Bytes.fromJava(name), v);
        });
        return b.build();
    }

    private static String render(EvalSession s, Value v, Request r) {
        return switch (r.output()) {
            case XML -> XmlPrinter.print(v, r.strict(), r.location(), new HashSet<>());
            case JSON -> JsonPrinter.print(s.interpreter(), v, new HashSet<>(), Pos.NONE) + "\n";
            case TEXT -> {
                if (r.strict()) Deep.force(v);
                yield ValuePrinter.print(v, true) + "\n";
            }
        };
    }

    private static String drvPaths(Value v) {
        List<Value> drvs = new ArrayList<>();
        collect(v, drvs, 0);
        StringBuilder sb = new StringBuilder();
        for (Value d : drvs) {
            Lazy p = ((NixAttrs) d).get("drvPath");
            sb.append(Force.string(p, Pos.NONE).value()).append('\n');
        }
        return sb.toString();
    }

    private static void collect(Value v, List<Value> out, int depth) {
        if (Equality.isDerivation(v)) {
            out.add(v);
        } else if (v instanceof NixAttrs a && depth == 0) {
            for (int k = 0; k < a.size(); k++) collect(a.value(k).force(), out, depth + 1);
        } else if (v instanceof NixList l && depth == 0) {
            for (Lazy x : l.items()) collect(x.force(), out, depth + 1);
        } else if (depth == 0) {
            throw new EvalException(Pos.NONE, "expression does not evaluate to a derivation (or a set or list of those)");
        }
    }
}
