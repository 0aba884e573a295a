package dev.flotilla.cli.store;

import dev.flotilla.store.nar.NarWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code flotilla store nar PATH}: {@code nix-store --dump}. */
@Command(name = "nar",
        mixinStandardHelpOptions = true,
        description = "Write the NAR serialisation of a file, symlink or directory to standard output, "
                + "byte for byte what 'nix-store --dump' writes.",
        footer = {"", "Examples:",
            "  flotilla store nar ./tree > tree.nar",
            "  flotilla store nar ./tree | sha256sum                 # the NAR hash, as hex"})
final class NarCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", description = "Any file, symlink or directory (symlinks are not followed).")
    Path path;

    @ParentCommand
    StoreCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(path + ": no such file or directory");
            }
            OutputStream out = parent.binaryOut();
            NarWriter.dump(path, out);
            out.flush();
            return StoreCommand.OK;
        } catch (IOException | RuntimeException e) {
            return StoreCommand.fail(spec, e);
        }
    }
}
