package dev.flotilla.eval.builtins;

import dev.flotilla.eval.Bytes;
import dev.flotilla.eval.Coercion;
import dev.flotilla.eval.Coercion.Mode;
import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Force;
import dev.flotilla.eval.InputListener;
import dev.flotilla.eval.Interpreter;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixBool;
import dev.flotilla.eval.NixPath;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Value;
import dev.flotilla.eval.store.Hashes;
import dev.flotilla.eval.syntax.Paths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Files, the search path and the environment. */
final class IoBuiltins {
    /** Where {@code <nix/...>} resolves to; files under it are built into the evaluator. */
    static final String CORE = "/__flotilla_corepkgs__";

    private IoBuiltins() {}

    static void register(Registry r) {
        r.add("import", 1, IoBuiltins::importFn);
        r.add("scopedImport", 2, IoBuiltins::scopedImport);
        r.add("readFile", 1, IoBuiltins::readFile);
        r.add("pathExists", 1, IoBuiltins::pathExists);
        r.add("readDir", 1, IoBuiltins::readDir);
        r.add("getEnv", 1, IoBuiltins::getEnv);
        r.add("findFile", 2, IoBuiltins::findFile);
        r.add("toPath", 1, IoBuiltins::toPath);
        r.add("hashFile", 2, IoBuiltins::hashFile);
    }

    static Value importFn(Interpreter in, Lazy[] a, Pos pos) {
        String path = Coercion.realisePath(in, a[0], pos);
        if (path.startsWith(CORE + "/")) return in.session().evalSource(CorePkgs.source(path.substring(CORE.length() + 1), pos), path, "/");
        return in.session().importFile(path, pos);
    }

    static Value scopedImport(Interpreter in, Lazy[] a, Pos pos) {
        NixAttrs scope = Force.attrs(a[0], pos);
        String path = Coercion.realisePath(in, a[1], pos);
        return in.session().scopedImport(scope, path, pos);
    }

    static Value readFile(Interpreter in, Lazy[] a, Pos pos) {
        String path = Coercion.realisePath(in, a[0], pos);
        try {
            String bytes = Bytes.of(Files.readAllBytes(Bytes.path(path)));
            if (bytes.indexOf('\0') >= 0) {
                // Nix strings end at a NUL byte, so Nix 2.8 refuses such files
                throw new EvalException(pos, "the contents of the file '" + path + "' cannot be represented as a Nix string")
                        .withoutShownPosition();
            }
            NixString contents = new NixString(bytes);
            in.session().inputRead(new InputListener.Input.FileContents(Bytes.path(path)));
            return contents;
        } catch (IOException e) {
            throw new EvalException(pos, "opening file '" + path + "': No such file or directory").withoutShownPosition();
        }
    }

    static Value pathExists(Interpreter in, Lazy[] a, Pos pos) {
        String path = Coercion.realisePath(in, a[0], pos);
        boolean exists = Files.exists(Bytes.path(path), LinkOption.NOFOLLOW_LINKS);
        in.session().inputRead(new InputListener.Input.Existence(Bytes.path(path), exists));
        return NixBool.of(exists);
    }

    static Value readDir(Interpreter in, Lazy[] a, Pos pos) {
        String path = Coercion.realisePath(in, a[0], pos);
        NixAttrs.Builder b = NixAttrs.builder();
        try (Stream<Path> s = Files.list(Bytes.path(path))) {
            s.forEach(p -> b.put(Bytes.fromJava(p.getFileName().toString()), new NixString(dev.flotilla.eval.store.Nar.type(p))));
        } catch (IOException e) {
            throw new EvalException(pos, "opening directory '" + path + "': No such file or directory");
        }
        in.session().inputRead(new InputListener.Input.DirectoryListing(Bytes.path(path)));
        return b.build();
    }

    static Value getEnv(Interpreter in, Lazy[] a, Pos pos) {
        return new NixString(in.session().getEnv(Force.stringNoContext(a[0], pos)));
    }

    /** {@code <path>} lookup over a list of {@code { prefix, path }} entries. */
    static Value findFile(Interpreter in, Lazy[] a, Pos pos) {
        String wanted = Force.stringNoContext(a[1], pos);
        for (Lazy e : Force.list(a[0], pos).items()) {
            NixAttrs entry = Force.attrs(e, pos);
            Lazy pre = entry.get("prefix");
            String prefix = pre == null ? "" : Force.stringNoContext(pre, pos);
            Lazy pathAttr = entry.get("path");
            if (pathAttr == null) throw new EvalException(pos, "attribute 'path' missing");
            String suffix;
            if (prefix.isEmpty()) {
                suffix = "/" + wanted;
            } else {
                if (!wanted.startsWith(prefix) || (wanted.length() > prefix.length() && wanted.charAt(prefix.length()) != '/')) {
                    continue;
                }
                suffix = wanted.length() == prefix.length() ? "" : "/" + wanted.substring(prefix.length() + 1);
            }
            String dir = Coercion.toNixString(in, pathAttr, Mode.INTERPOLATE, false, pos).value();
            if (!dir.startsWith("/")) dir = Bytes.fromJava(System.getProperty("user.dir")) + "/" + dir;
            String res = dir + suffix;
            if (Files.exists(Bytes.path(res))) return new NixPath(Paths.canon(res));
        }
        if (wanted.startsWith("nix/")) return new NixPath(CORE + "/" + wanted.substring(4));
        throw new dev.flotilla.eval.CatchableException(pos, "file '" + wanted + "' was not found in the Nix search path (add it using $NIX_PATH or -I)");
    }

    static Value toPath(Interpreter in, Lazy[] a, Pos pos) {
        NixString s = Coercion.toNixString(in, a[0], Mode.INTERPOLATE, false, pos);
        if (!s.value().startsWith("/")) {
            throw new EvalException(pos, "string '" + s.value() + "' doesn't represent an absolute path");
        }
        return new NixString(Paths.canon(s.value()), s.context());
    }

    static Value hashFile(Interpreter in, Lazy[] a, Pos pos) {
        String algo = Force.stringNoContext(a[0], pos);
        if (!Hashes.known(algo)) throw new EvalException(pos, "unknown hash algorithm '" + algo + "'");
        String path = Coercion.realisePath(in, a[1], pos);
        try {
            NixString digest = new NixString(Hashes.hex(Hashes.digest(algo, Files.readAllBytes(Bytes.path(path)))));
            in.session().inputRead(new InputListener.Input.FileContents(Bytes.path(path)));
            return digest;
        } catch (IOException e) {
            throw new EvalException(pos, "opening file '" + path + "': No such file or directory").withoutShownPosition();
        }
    }
}
