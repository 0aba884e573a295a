package dev.flotilla.store.nar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our NAR bytes against real {@code nix-store --dump} on randomly generated trees (seeded). Runs where Nix is
 * installed (the benchmarks install nix-bin); the spec's fixed vectors in {@link NarWriterTest} run everywhere.
 */
class NarAgainstNixTest {

    private static final List<String> NAMES = List.of("a", "B", "a.b", "a-b", "_", "10", "9", "z", "é", "ab", "A", "x y");

    @Test
    void randomTreesDumpExactlyAsNixDoes(@TempDir Path dir) throws Exception {
        assumeTrue(nixStore() != null, "nix-store is not installed; the spec vectors cover the format");
        long seed = Long.getLong("flotilla.nar.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int round = 0; round < 20; round++) {
            Path tree = dir.resolve("tree-" + round);
            generate(tree, random, 0);
            byte[] ours = dump(tree);
            byte[] nix = nixDump(tree);
            assertArrayEquals(nix, ours, "NAR of " + tree + " differs from nix-store --dump (seed " + seed + ")");
        }
    }

    private static void generate(Path p, Random random, int depth) throws IOException {
        int kind = depth == 0 ? 0 : random.nextInt(depth > 3 ? 3 : 4);
        switch (kind) {
            case 0, 3 -> {
                Files.createDirectories(p);
                int entries = random.nextInt(5);
                for (int i = 0; i < entries; i++) {
                    Path child = p.resolve(NAMES.get(random.nextInt(NAMES.size())));
                    if (!Files.exists(child, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        generate(child, random, depth + 1);
                    }
                }
            }
            case 1 -> {
                byte[] content = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(100_000)];
                random.nextBytes(content);
                Files.write(p, content);
                String mode = random.nextBoolean() ? "rwxr-xr-x" : random.nextBoolean() ? "rw-r--r--" : "rw----r-x";
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
            }
            default -> Files.createSymbolicLink(p, Path.of(random.nextBoolean() ? "../a" : "target with spaces/é"));
        }
    }

    private static byte[] dump(Path p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NarWriter.dump(p, out);
        return out.toByteArray();
    }

    private static byte[] nixDump(Path p) throws Exception {
        Process proc = new ProcessBuilder(nixStore(), "--dump", p.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] bytes = proc.getInputStream().readAllBytes();
        if (!proc.waitFor(30, TimeUnit.SECONDS) || proc.exitValue() != 0) {
            throw new AssertionError("nix-store --dump " + p + " failed");
        }
        return bytes;
    }

    private static String nixStore() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "nix-store");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
