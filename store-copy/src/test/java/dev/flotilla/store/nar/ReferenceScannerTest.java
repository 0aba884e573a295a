package dev.flotilla.store.nar;

import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StorePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReferenceScannerTest {
    static final StorePath SIMPLE = StorePath.parse(StoreDir.NIX, "/nix/store/94f9f6i31zwzwbf0kclq1naqxxi4c7v9-simple");
    static final StorePath DEV = StorePath.parse(StoreDir.NIX, "/nix/store/mmfx3v51jxigdpdfwfnxgy919qz73qvh-multi-dev");
    static final StorePath SELF = StorePath.parse(StoreDir.NIX, "/nix/store/fcdcz40mcj9ghzpavic641cgi5bxygnm-selfref");

    @Test
    void findsHashPartsAnywhereInTheNar(@TempDir Path dir) throws IOException {
        Path hashonly = dir.resolve("hashonly");
        Files.writeString(hashonly, "prefix-94f9f6i31zwzwbf0kclq1naqxxi4c7v9-suffix\n");
        assertEquals(Set.of(SIMPLE), ReferenceScanner.scan(hashonly, List.of(SIMPLE, DEV)));

        Path selfref = dir.resolve("selfref");
        Files.writeString(selfref, SELF.absolute() + "\n");
        assertEquals(Set.of(SELF), ReferenceScanner.scan(selfref, List.of(SELF, SIMPLE)));

        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.writeString(tree.resolve("vals"), "1|||42|a 1 b\n");
        Files.createSymbolicLink(tree.resolve("dev"), Path.of(DEV.absolute()));
        assertEquals(Set.of(DEV), ReferenceScanner.scan(tree, List.of(SIMPLE, DEV)));
    }

    @Test
    void findsHitsSpanningWrites() {
        byte[] text = ("xx" + SIMPLE.hashPart() + "yy").getBytes(StandardCharsets.US_ASCII);
        for (int split = 1; split < text.length; split++) {
            ReferenceScanner s = new ReferenceScanner(List.of(SIMPLE));
            s.write(text, 0, split);
            for (int k = split; k < text.length; k++) {
                s.write(text[k]);
            }
            assertEquals(Set.of(SIMPLE), s.found(), "split at " + split);
        }
    }
}
