package dev.flotilla.eval.modules;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.EvalOptions;
import dev.flotilla.eval.Evaluator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Module files in a temporary directory, evaluated with {@link Modules#evalModules}. */
final class ModuleTestSupport {
    static final Evaluator EVALUATOR = new Evaluator(EvalOptions.defaults().withEnv(Map.of()));

    private final Path dir;

    ModuleTestSupport(Path dir) {
        this.dir = dir;
    }

    Path write(String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Evaluates the named files (already written) and returns the config. */
    @SuppressWarnings("unchecked")
    Map<String, Object> eval(String... files) {
        return (Map<String, Object>) Modules.evalModules(EVALUATOR, paths(files), Map.of(), dir);
    }

    /** The message of the error evaluating the named files. */
    String error(String... files) {
        EvalException e = assertThrows(EvalException.class, () -> Modules.evalModules(EVALUATOR, paths(files), Map.of(), dir).toString());
        return e.getMessage();
    }

    Object lib(String expr) {
        return Modules.evalWithLib(EVALUATOR, "lib: " + expr, dir);
    }

    private List<Path> paths(String... files) {
        List<Path> out = new ArrayList<>();
        for (String f : files) {
            out.add(dir.resolve(f));
        }
        return out;
    }
}
