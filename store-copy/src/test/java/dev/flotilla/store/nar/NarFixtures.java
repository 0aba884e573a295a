package dev.flotilla.store.nar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The fixture directory of spec §0.2. */
public final class NarFixtures {
    private NarFixtures() {
    }

    public static Path create(Path dir) throws IOException {
        file(dir.resolve("hello.txt"), "hello\n", "rw-r--r--");
        file(dir.resolve("empty.txt"), "", "rw-r--r--");
        file(dir.resolve("eight"), "12345678", "rw-r--r--");
        file(dir.resolve("run.sh"), "#!/bin/sh\necho hi\n", "rwxr-xr-x");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("hello.txt"));
        Files.createDirectory(dir.resolve("emptydir"));
        Path tree = Files.createDirectory(dir.resolve("tree"));
        file(tree.resolve("B"), "B\n", "rw-r--r--");
        file(tree.resolve("a"), "a\n", "rw-r--r--");
        file(tree.resolve("a.txt"), "a.txt\n", "rw-r--r--");
        file(tree.resolve("a-b"), "dash\n", "rw-r--r--");
        Path sub = Files.createDirectory(tree.resolve("sub"));
        file(sub.resolve("x"), "x", "rwxr-xr-x");
        Files.createSymbolicLink(sub.resolve("l"), Path.of("../a"));
        Path sortdir = Files.createDirectory(dir.resolve("sortdir"));
        for (String n : new String[] {"z", "é", "Z", "_", "a", "ab", "a.b", "A", "10", "9"}) {
            file(sortdir.resolve(n), "", "rw-r--r--");
        }
        return dir;
    }

    public static void file(Path p, String content, String perms) throws IOException {
        Files.writeString(p, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }
}
