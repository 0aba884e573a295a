package dev.flotilla.eval;

import dev.flotilla.eval.EvalOptions.SearchPathEntry;
import dev.flotilla.eval.syntax.Expr;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * State of one evaluation: the interpreter, the base environment, the import cache and the
 * session's store. Confined to one thread; the parse cache behind it is shared.
 */
public final class EvalSession {
    private final EvalOptions options;
    private final ParseCache parseCache;
    private final Interpreter interpreter;
    private final Env baseEnv;
    private final Map<String, Value> imports = new HashMap<>();
    private final Map<String, String> drvHashes = new HashMap<>();
    private final SessionStore store;
    private final java.util.Set<InputListener.Input> inputsSeen = new java.util.HashSet<>();
    private final long startTime = System.currentTimeMillis() / 1000;

    EvalSession(EvalOptions options, ParseCache parseCache) {
        this.options = options;
        this.parseCache = parseCache;
        this.interpreter = new Interpreter(this);
        this.store = new SessionStore(options.storeDir(), options.sourceStore(), this::inputRead);
        this.baseEnv = Globals.baseEnv(interpreter, this);
    }

    public EvalOptions options() {
        return options;
    }

    public Interpreter interpreter() {
        return interpreter;
    }

    public SessionStore store() {
        return store;
    }

    /** {@code import path}: parse (cached across sessions) and evaluate (cached in this session). */
    public Value importFile(String path, Pos from) {
        String file = path;
        if (Files.isDirectory(Bytes.path(file))) file = file.endsWith("/") ? file + "default.nix" : file + "/default.nix";
        Value v = imports.get(file);
        if (v != null) return v;
        Expr e = parseCache.file(file, from);
        inputRead(new InputListener.Input.FileContents(Bytes.path(file)));
        try {
            v = interpreter.eval(e, baseEnv);
        } catch (EvalException ex) {
            throw ex.addTrace(Pos.NONE, "while evaluating the file '" + file + "':");
        }
        imports.put(file, v);
        return v;
    }

    /**
     * The file nix-instantiate is given: parsed and evaluated like an import, but as Nix 2.8 does
     * it, outside the import cache and without a "while evaluating the file" frame.
     */
    public Value evalMainFile(String path) {
        String file = path;
        if (Files.isDirectory(Bytes.path(file))) file = file.endsWith("/") ? file + "default.nix" : file + "/default.nix";
        Expr e = parseCache.file(file, Pos.NONE);
        inputRead(new InputListener.Input.FileContents(Bytes.path(file)));
        return interpreter.eval(e, baseEnv);
    }

    /** {@code scopedImport}: the file sees {@code scope}'s attributes as variables in front of the builtins. */
    public Value scopedImport(NixAttrs scope, String path, Pos from) {
        String file = path;
        if (Files.isDirectory(Bytes.path(file))) file = file + "/default.nix";
        Expr e = parseCache.fileInScope(file, scope.names(), from);
        inputRead(new InputListener.Input.FileContents(Bytes.path(file)));
        Env env = baseEnv.child(scope.size());
        for (int k = 0; k < scope.size(); k++) env.slots[k] = scope.value(k);
        return interpreter.eval(e, env);
    }

    /** Tells the options' {@link InputListener} about a read, once per session; reads in the store are not inputs. */
    public void inputRead(InputListener.Input input) {
        if (options.inputs() == InputListener.NONE || store.isStorePath(Bytes.fromJava(input.path().toString()))) return;
        if (inputsSeen.add(input)) options.inputs().read(input);
    }

    /** Evaluates source text as if it were a file in {@code baseDir}. */
    public Value evalSource(String src, String name, String baseDir) {
        Expr e = parseCache.parse(src, name, baseDir);
        return interpreter.eval(e, baseEnv);
    }

    /** Parses and resolves only (nix-instantiate --parse). */
    public Expr parseOnly(String src, String name, String baseDir) {
        return parseCache.parse(src, name, baseDir);
    }

    Value derivationFunction(Env env) {
        return evalSource(DerivationNix.SOURCE, DerivationNix.FILE, "/");
    }

    Value constant(String name) {
        return switch (name) {
            case "currentSystem" -> new NixString(options.currentSystem());
            case "storeDir" -> new NixString(options.storeDir());
            case "nixVersion" -> new NixString("2.8.0");
            case "langVersion" -> new NixInt(6);
            case "currentTime" -> new NixInt(startTime);
            case "nixPath" -> nixPath();
            default -> throw new IllegalStateException("unknown constant " + name);
        };
    }

    private Value nixPath() {
        List<Lazy> entries = new ArrayList<>();
        for (SearchPathEntry e : options.searchPath()) {
            entries.add(NixAttrs.builder()
                    .put("prefix", new NixString(Bytes.fromJava(e.prefix())))
                    .put("path", new NixString(Bytes.fromJava(e.path())))
                    .build());
        }
        return new NixList(entries);
    }

    /** Remembers the (unmasked) hashDerivationModulo of a derivation created in this session. */
    public void rememberDrvHash(String drvPath, String hex) {
        drvHashes.put(drvPath, hex);
    }

    public String drvHash(String drvPath) {
        return drvHashes.get(drvPath);
    }

    public String getEnv(String name) {
        String v = options.getEnv().apply(Bytes.toJava(name));
        return v == null ? "" : Bytes.fromJava(v);
    }
}
