package dev.flotilla.cli.store;

import dev.flotilla.store.LocalStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code flotilla store verify}: every valid path's content against its metadata. */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        description = {"Check every valid path: content present, NAR hash and size as registered, references valid.",
            "Prints one line per problem; exit status 1 if there is any."},
        footer = {"", "Examples:",
            "  flotilla store verify",
            "  flotilla store verify --root /srv/host1 || echo corrupt"})
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    StoreLocation location;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            LocalStore store = location.open();
            int checked = store.validPaths().size();
            List<String> problems = store.verify();
            problems.forEach(out::println);
            out.flush();
            err.println(checked + " path(s) checked, " + problems.size() + " problem(s)");
            err.flush();
            return problems.isEmpty() ? StoreCommand.OK : StoreCommand.PROBLEMS;
        } catch (IOException | RuntimeException e) {
            return StoreCommand.fail(spec, e);
        }
    }
}
