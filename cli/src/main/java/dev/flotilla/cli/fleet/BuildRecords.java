package dev.flotilla.cli.fleet;

import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StorePath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The last toplevel {@code flotilla build} made for each host name, kept in the state directory as
 * {@code fleet-builds/<host>} (one absolute store path): what {@code flotilla diff} compares with by default.
 */
final class BuildRecords {
    private BuildRecords() {}

    static Path file(Path stateDir, String host) {
        return stateDir.resolve("fleet-builds").resolve(host);
    }

    static void remember(Path stateDir, String host, StorePath toplevel) {
        try {
            Path f = file(stateDir, host);
            Files.createDirectories(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), ".tmp-", "");
            Files.writeString(tmp, toplevel.absolute() + "\n");
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<StorePath> last(Path stateDir, StoreDir storeDir, String host) throws IOException {
        Path f = file(stateDir, host);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        return Optional.of(StorePath.parse(storeDir, Files.readString(f).strip()));
    }
}
