package dev.flotilla.cli.store;

import dev.flotilla.store.GarbageCollector;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.StorePath;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla store gc}: delete what no root reaches. */
@Command(name = "gc",
        mixinStandardHelpOptions = true,
        description = {"Delete every store path that no root reaches, and what crashes left behind.",
            "Roots: the symlinks under ROOT/flotilla/var/profiles (every kept generation) and ROOT/flotilla/var/gcroots",
            "(to store paths or to other links), plus --pin. Prints the paths deleted, referrers first.",
            "Do not collect while a copy to this store is running: copied paths are rooted only once switched to."},
        footer = {"", "Examples:",
            "  flotilla store gc --dry-run                           # what would go",
            "  flotilla store gc --root /srv/host1 --pin /flotilla/store/<hash>-tools"})
final class GcCommand implements Callable<Integer> {
    @Mixin
    StoreLocation location;

    @Option(names = {"-n", "--dry-run"}, description = "Only list what would be deleted.")
    boolean dryRun;

    @Option(names = "--pin", paramLabel = "PATH", description = "Keep this store path and its closure too (repeatable).")
    List<String> pins = new ArrayList<>();

    @Option(names = "--roots-dir", paramLabel = "DIR",
            description = "Search these directories for root links instead of the two defaults (repeatable).")
    List<Path> rootDirs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            LocalStore store = location.open();
            List<StorePath> pinned = new ArrayList<>();
            for (String p : pins) {
                pinned.add(StoreLocation.parsePath(store.storeDir(), p));
            }
            GarbageCollector gc = rootDirs.isEmpty() ? new GarbageCollector(store) : new GarbageCollector(store, rootDirs);
            GarbageCollector.Result r = gc.collect(pinned, dryRun);
            r.dead().forEach(p -> out.println(p.absolute()));
            out.flush();
            for (String leftover : r.leftovers()) {
                err.println((dryRun ? "would remove" : "removed") + " leftover " + leftover);
            }
            for (Path link : r.danglingRoots()) {
                err.println("dangling root " + link);
            }
            err.printf("%s %d path(s), %.1f MiB; %d root(s) keep %d path(s)%n", dryRun ? "would delete" : "deleted",
                    r.dead().size(), r.narBytes() / (1024.0 * 1024), r.roots().size(), r.live());
            err.flush();
            return StoreCommand.OK;
        } catch (IOException | RuntimeException e) {
            return StoreCommand.fail(spec, e);
        }
    }
}
