package dev.flotilla.eval.modules;

import dev.flotilla.eval.Boundary;
import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.EvalSession;
import dev.flotilla.eval.Evaluator;
import dev.flotilla.eval.Force;
import dev.flotilla.eval.JavaValues;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixList;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The module system from Java: {@code lib.evalModules} over module files, and expressions that
 * get {@code lib}. Each call is one evaluation session on a big-stack thread; errors raised by the
 * lib itself (conflicts, type errors, unknown options) come without the lib's position, since
 * their message names the option and the definitions' places.
 */
public final class Modules {
    private Modules() {}

    /**
     * Evaluates {@code modules} (files) with {@code specialArgs} (plain Java values) given to every
     * module; returns the whole {@code config} as plain Java (sorted maps, lists, strings, longs...).
     * File names in messages are relative to {@code root} (may be null).
     */
    public static Object evalModules(Evaluator evaluator, List<Path> modules, Map<String, Object> specialArgs, Path root) {
        return run(() -> {
            EvalSession s = evaluator.newSession();
            Value lib = ModuleLib.lib(s);
            List<dev.flotilla.eval.Lazy> paths = new ArrayList<>();
            for (Path m : modules) {
                paths.add(JavaValues.fromJava(m));
            }
            NixAttrs.Builder args = NixAttrs.builder()
                    .put("modules", new NixList(paths))
                    .put("specialArgs", JavaValues.fromJava(specialArgs == null ? Map.of() : specialArgs));
            if (root != null) {
                args.put("root", JavaValues.fromJava(root.toAbsolutePath().normalize().toString()));
            }
            Value evalModules = Force.attrs(lib, Pos.NONE).get("evalModules").force();
            Value result = s.interpreter().apply(evalModules, args.build(), Pos.NONE);
            return JavaValues.toJava(Force.attrs(result, Pos.NONE).get("config"));
        });
    }

    /**
     * Evaluates {@code source}, a function of {@code lib}, applies it to the lib and converts the
     * result to plain Java. Paths in the source are relative to {@code baseDir}.
     */
    public static Object evalWithLib(Evaluator evaluator, String source, Path baseDir) {
        return run(() -> {
            EvalSession s = evaluator.newSession();
            Value lib = ModuleLib.lib(s);
            Value fn = s.evalSource(dev.flotilla.eval.Bytes.fromJava(source), "(string)",
                    dev.flotilla.eval.Bytes.fromJava(baseDir.toAbsolutePath().normalize().toString()));
            return JavaValues.toJava(s.interpreter().apply(fn, lib, Pos.NONE));
        });
    }

    /** Runs {@code work} on a fresh big-stack thread. */
    static <T> T run(java.util.function.Supplier<T> work) {
        return Boundary.onBigStack(() -> here(work));
    }

    /** Runs {@code work} on this thread, which must have a big stack. */
    static <T> T here(java.util.function.Supplier<T> work) {
        try {
            return Boundary.guard(work);
        } catch (EvalException e) {
            throw standalone(e);
        }
    }

    /** An error thrown by the lib, without the lib's position (its message names the places). */
    static EvalException standalone(EvalException e) {
        if (!ModuleLib.isLibPosition(e.pos())) {
            return e;
        }
        EvalException out = new EvalException(Pos.NONE, e.bareMessage());
        for (EvalException.Frame f : e.frames()) {
            if (!ModuleLib.isLibPosition(f.pos())) {
                out.addTrace(f.pos(), f.description());
            }
        }
        return out;
    }
}
