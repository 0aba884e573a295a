package dev.flotilla.cli.remote;

import dev.flotilla.deploy.plan.BuiltinPlans;
import dev.flotilla.deploy.plan.PlanLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A {@code --plan NAME|FILE} as the controller's API takes it: a built-in plan's name as is, or a plan
 * file, checked here first (so a bad file is reported with its own name, line and column, as the local
 * mode does) and sent as the JSON document it is.
 */
final class RemotePlan {

    private RemotePlan() {}

    /** The request's {@code plan}: a name (String) or a document (Map); throws PlanException for a bad plan. */
    static Object of(String nameOrFile) {
        if (BuiltinPlans.byName(nameOrFile).isPresent()) {
            return nameOrFile;
        }
        PlanLoader.resolve(nameOrFile);
        try {
            // Only scalars, lists and maps: the loader accepted it, so the plain YAML reading is the same document.
            return new Yaml(new LoaderOptions()).load(Files.readString(Path.of(nameOrFile)));
        } catch (IOException e) {
            throw new UncheckedIOException(nameOrFile + ": cannot read plan: " + e.getMessage(), e);
        }
    }
}
