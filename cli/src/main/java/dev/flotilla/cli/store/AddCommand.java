package dev.flotilla.cli.store;

import dev.flotilla.cli.Workspace;
import dev.flotilla.store.ErrorCode;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla store add PATH...}: {@code nix-store --add}. */
@Command(name = "add",
        mixinStandardHelpOptions = true,
        description = {"Add files or directories to the store as source paths and print their store paths, "
                + "one per line, as 'nix-store --add' does (same path for the same content and store directory).",
            "Each path is signed with --sign-key, or with the deploying side's signing key if it exists."},
        footer = {"", "Examples:",
            "  flotilla store add ./config                           # /flotilla/store/<hash>-config",
            "  flotilla store add --store-dir /nix/store --root /tmp/s ./hello.txt",
            "  flotilla store add --sign-key keys/store.sec a b c"})
final class AddCommand implements Callable<Integer> {
    @Mixin
    StoreLocation location;

    @Option(names = "--sign-key", paramLabel = "FILE", description = "Nix secret key file to sign the added paths with.")
    Path signKey;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories; each becomes a path named after its last component.")
    List<Path> paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            LocalStore store = location.open();
            SigningKey key = signingKey();
            for (Path p : paths) {
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new NoSuchFileException(p + ": no such file or directory");
                }
                Path name = p.toAbsolutePath().normalize().getFileName();
                if (name == null) {
                    throw new StoreException(ErrorCode.MALFORMED_INPUT, p.toString(), "has no name to give a store path");
                }
                PathInfo info = store.addTree(p, name.toString(), Set.of(), key);
                out.println(info.path().absolute());
                out.flush();
            }
            return StoreCommand.OK;
        } catch (IOException | RuntimeException e) {
            return StoreCommand.fail(spec, e);
        }
    }

    private SigningKey signingKey() throws IOException {
        if (signKey != null) {
            return SigningKey.read(signKey);
        }
        Path workspaceKey = new Workspace(Workspace.defaultDir(), location.storeDir()).signingKeyFile();
        return Files.exists(workspaceKey) ? SigningKey.read(workspaceKey) : null;
    }
}
