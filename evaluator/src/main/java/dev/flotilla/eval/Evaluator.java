package dev.flotilla.eval;

import java.nio.file.Path;
import java.util.Map;

/**
 * Entry point for other modules. An Evaluator holds settings and a cache of parsed files shared
 * by all its evaluations. Thread-safety: {@link #evalFileToJava} may be called concurrently from
 * many threads (each call is its own session on its own big-stack thread). The lazy {@link Value}s
 * returned by {@link #evalFile} / {@link #evalString} belong to one session and must be forced
 * by one thread at a time.
 */
public final class Evaluator {
    private final EvalOptions options;
    private final ParseCache parseCache;

    public Evaluator(EvalOptions options) {
        this.options = options;
        this.parseCache = new ParseCache(Bytes.fromJava(options.homeDir()));
    }

    public EvalOptions options() {
        return options;
    }

    /** A fresh evaluation session (own import cache, own store bookkeeping) sharing the parse cache. */
    public EvalSession newSession() {
        return new EvalSession(options, parseCache);
    }

    public Value evalFile(Path file) {
        return Boundary.guard(() -> newSession().importFile(nixPath(file), Pos.NONE));
    }

    public Value evalString(String source, Path baseDir) {
        return Boundary.guard(() -> newSession().evalSource(Bytes.fromJava(source), "(string)", nixPath(baseDir)));
    }

    /**
     * Evaluates {@code file}; if the result is a function taking a set, calls it with {@code args}
     * (like {@code nix-instantiate --arg}); then forces deeply and converts to plain Java
     * (see {@link JavaValues#toJava}).
     */
    public Object evalFileToJava(Path file, Map<String, Object> args) {
        return Boundary.onBigStack(() -> {
            EvalSession s = newSession();
            Value v = s.importFile(nixPath(file), Pos.NONE);
            NixAttrs autoArgs = (NixAttrs) JavaValues.fromJava(args == null ? Map.of() : args);
            v = AutoCall.call(s.interpreter(), v, autoArgs);
            return JavaValues.toJava(v);
        });
    }

    static String nixPath(Path p) {
        return Bytes.fromJava(p.toAbsolutePath().normalize().toString());
    }
}
