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
            return ExprPrinter.print(parsed, SymbolOrder.of(StartupSymbols.NAMES, List.of(s.parseOnly(DerivationNix.SOURCE,
                    DerivationNix.FILE, "/")), parsed)) + "\n";
        }
        Value root = root(s, r, cwd);
        NixAttrs autoArgs = autoArgs(s, r, cwd);
        StringBuilder out = new StringBuilder();
        boolean warnedGcRoot = false;
        for (String attrPath : r.attrPaths()) {
            Value v = AttrPath.find(s.interpreter(), root, attrPath, autoArgs);
            // like nix-instantiate: --eval calls a function result only when given --arg/--argstr
            if (r.eval() && !r.autoArgs().isEmpty()) v = AutoCall.call(s.interpreter(), v, autoArgs);
            String printed = r.eval() ? render(s, v, r) : drvPaths(s, v, autoArgs);
            // nix-instantiate 2.8 warns once when it names .drv files without --add-root
            if (!r.eval() && !printed.isEmpty() && !warnedGcRoot) {
                s.options().traceSink().println("warning: you did not specify '--add-root'; the result might be removed by the garbage collector");
                warnedGcRoot = true;
            }
            out.append(printed);
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

    private static String file(Request r, String cwd) {
        String f = Bytes.fromJava(r.source());
        return dev.flotilla.eval.syntax.Paths.canon(f.startsWith("/") ? f : cwd + "/" + f);
    }

    private static Value root(EvalSession s, Request r, String cwd) {
        if (r.expr() != null) return s.evalSource(Bytes.fromJava(r.expr()), "(string)", cwd);
        if (r.source().equals("-")) return s.evalSource(Bytes.fromJava(r.stdinText()), "(stdin)", cwd);
        return s.evalMainFile(file(r, cwd));
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
            // nix-instantiate 2.8 ends --json output without a newline
            case JSON -> JsonPrinter.print(s.interpreter(), v, new HashSet<>(), Pos.NONE);
            case TEXT -> {
                if (r.strict()) Deep.force(v);
                yield ValuePrinter.print(v, true) + "\n";
            }
        };
    }

    /**
     * The derivations nix-instantiate 2.8 instantiates for a value (its getDerivations): the value
     * itself, or those in a list (recursively) or set (in name order, going into nested sets that
     * say {@code recurseForDerivations = true}), each once; printed as {@code path.drv}, with
     * {@code !output} for a derivation value that stands for another output than {@code out}.
     */
    private static String drvPaths(EvalSession s, Value v, NixAttrs autoArgs) {
        List<NixAttrs> drvs = new ArrayList<>();
        collect(s, v, autoArgs, drvs, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        StringBuilder sb = new StringBuilder();
        for (NixAttrs d : drvs) {
            sb.append(Force.string(d.get("drvPath"), Pos.NONE).value());
            Lazy output = d.get("outputName");
            String name = output == null ? "" : Force.string(output, Pos.NONE).value();
            if (name.isEmpty()) throw new EvalException(Pos.NONE, "derivation '" + Force.string(d.get("drvPath"), Pos.NONE).value() + "' lacks an 'outputName' attribute");
            if (!name.equals("out")) sb.append('!').append(name);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static final java.util.regex.Pattern ATTR_NAME = java.util.regex.Pattern.compile("[a-zA-Z_][a-zA-Z0-9_'-]*");

    private static void collect(EvalSession s, Value in, NixAttrs autoArgs, List<NixAttrs> out, java.util.Set<NixAttrs> done) {
        Value v = AutoCall.call(s.interpreter(), in, autoArgs);
        if (!isMore(v, out, done)) return;
        if (v instanceof NixAttrs a) {
            for (int k = 0; k < a.size(); k++) {
                if (!ATTR_NAME.matcher(a.name(k)).matches()) continue;
                Value item = a.value(k).force();
                if (isMore(item, out, done) && item instanceof NixAttrs nested) {
                    Lazy rec = nested.get("recurseForDerivations");
                    Pos at = nested.position("recurseForDerivations");
                    if (rec != null && Force.bool(rec, at == null ? Pos.NONE : at)) collect(s, item, autoArgs, out, done);
                }
            }
        } else if (v instanceof NixList list) {
            for (Lazy x : list.items()) {
                Value item = x.force();
                if (isMore(item, out, done)) collect(s, item, autoArgs, out, done);
            }
        } else {
            throw new EvalException(Pos.NONE, "expression does not evaluate to a derivation (or a set or list of those)");
        }
    }

    /** Takes a derivation (once) and says false; says true for anything else, which may hold more. */
    private static boolean isMore(Value v, List<NixAttrs> out, java.util.Set<NixAttrs> done) {
        if (!Equality.isDerivation(v)) return true;
        NixAttrs d = (NixAttrs) v;
        if (done.add(d)) out.add(d);
        return false;
    }
}
