package dev.flotilla.cli.store;

import dev.flotilla.cli.Workspace;
import dev.flotilla.store.ErrorCode;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StoreException;
import dev.flotilla.store.StorePath;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --root} and {@code --store-dir} options every store subcommand shares (a picocli mixin). */
final class StoreLocation {
    @Option(names = "--root", paramLabel = "DIR",
            description = "Physical root of the store (default: $FLOTILLA_STATE/root or ~/.local/state/flotilla/root).")
    Path root;

    @Option(names = "--store-dir", paramLabel = "DIR", defaultValue = "/flotilla/store",
            description = "Logical store directory; paths embed it (default: ${DEFAULT-VALUE}; /nix/store for Nix's paths).")
    String storeDir;

    StoreDir storeDir() throws StoreException {
        try {
            return new StoreDir(storeDir);
        } catch (IllegalArgumentException e) {
            throw new StoreException(ErrorCode.MALFORMED_INPUT, e.getMessage());
        }
    }

    Path physicalRoot() {
        return root != null ? root : Workspace.defaultDir().resolve("root");
    }

    LocalStore open() throws IOException {
        if (root == null) {
            return new Workspace(Workspace.defaultDir(), storeDir()).store();
        }
        return new LocalStore(root, storeDir());
    }

    /** A store path given as {@code <storeDir>/<hash>-<name>} (anything below it allowed) or as its base name. */
    static StorePath parsePath(StoreDir dir, String text) throws StoreException {
        try {
            if (!text.startsWith("/")) {
                return StorePath.fromBaseName(dir, text);
            }
            if (!dir.contains(text)) {
                throw new StoreException(ErrorCode.FOREIGN_STORE_DIR, text, "not in the store directory " + dir);
            }
            String rest = text.substring(dir.path().length() + 1);
            int slash = rest.indexOf('/');
            return StorePath.fromBaseName(dir, slash < 0 ? rest : rest.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new StoreException(ErrorCode.MALFORMED_INPUT, text, e.getMessage());
        }
    }
}
