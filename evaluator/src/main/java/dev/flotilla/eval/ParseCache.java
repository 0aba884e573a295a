package dev.flotilla.eval;

import dev.flotilla.eval.syntax.Expr;
import dev.flotilla.eval.syntax.Parser;
import dev.flotilla.eval.syntax.Paths;
import dev.flotilla.eval.syntax.Resolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed and resolved files, shared by every evaluation of an {@link Evaluator} (and safe to
 * share across threads: expressions are immutable). An entry is reused while the file's
 * modification time and size are unchanged.
 */
final class ParseCache {
    private record Entry(long mtime, long size, Expr expr) {}

    private final ConcurrentHashMap<String, Entry> files = new ConcurrentHashMap<>();
    private final String home;

    ParseCache(String home) {
        this.home = home;
    }

    /** Parses {@code file} (an absolute Nix path string); errors carry the file's positions. */
    Expr file(String file, Pos from) {
        Path p = Bytes.path(file);
        long mtime, size;
        try {
            mtime = Files.getLastModifiedTime(p).toMillis();
            size = Files.size(p);
        } catch (IOException e) {
            throw new EvalException(from, "getting status of '" + file + "': No such file or directory").withoutShownPosition();
        }
        Entry e = files.get(file);
        if (e != null && e.mtime == mtime && e.size == size) return e.expr;
        String src;
        try {
            src = Bytes.of(Files.readAllBytes(p));
        } catch (IOException ex) {
            throw new EvalException(from, "cannot read '" + file + "': " + ex.getMessage());
        }
        Expr expr = parse(src, file, Paths.dirOf(file));
        files.put(file, new Entry(mtime, size, expr));
        return expr;
    }

    /** For scopedImport: resolved against extra names in front of the globals; not cached. */
    Expr fileInScope(String file, java.util.List<String> names, Pos from) {
        try {
            String src = Bytes.of(Files.readAllBytes(Bytes.path(file)));
            Expr e = Parser.parse(src, file, Paths.dirOf(file), home);
            return Resolver.resolve(e, Resolver.Scope.of(Globals.SCOPE, names));
        } catch (IOException ex) {
            throw new EvalException(from, "opening file '" + file + "': No such file or directory").withoutShownPosition();
        }
    }

    Expr parse(String src, String name, String baseDir) {
        Expr e = Parser.parse(src, name, baseDir, home);
        return Resolver.resolve(e, Globals.SCOPE);
    }
}
