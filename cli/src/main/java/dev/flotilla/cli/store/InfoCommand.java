package dev.flotilla.cli.store;

import dev.flotilla.store.LocalStore;
import dev.flotilla.store.NarInfo;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.StorePath;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla store info PATH...}: the narinfo of valid paths. */
@Command(name = "info",
        mixinStandardHelpOptions = true,
        description = "Print the narinfo of store paths (as a Nix binary cache would serve it, uncompressed), "
                + "separated by blank lines. Exit status 1 if a path is not valid in the store.",
        footer = {"", "Examples:",
            "  flotilla store info /flotilla/store/<hash>-system",
            "  flotilla store info --root /srv/host1 <hash>-system     # a base name works too"})
final class InfoCommand implements Callable<Integer> {
    @Mixin
    StoreLocation location;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Store paths, absolute or as base names.")
    List<String> paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            LocalStore store = location.open();
            boolean first = true;
            for (String text : paths) {
                StorePath path = StoreLocation.parsePath(store.storeDir(), text);
                PathInfo info = store.requireInfo(path);
                if (!first) {
                    out.println();
                }
                out.print(NarInfo.render(info));
                out.flush();
                first = false;
            }
            return StoreCommand.OK;
        } catch (IOException | RuntimeException e) {
            return StoreCommand.fail(spec, e);
        }
    }
}
