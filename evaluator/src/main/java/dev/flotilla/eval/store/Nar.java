package dev.flotilla.eval.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Writes the NAR serialisation of a file-system object (spec §1) to a stream, e.g. a digest. */
public final class Nar {
    /** Which entries below the dumped root to include, given their path and type ("regular", "directory", "symlink", "unknown"). */
    @FunctionalInterface
    public interface EntryFilter {
        boolean keep(Path entry, String type);
    }

    private final OutputStream out;
    private final EntryFilter filter;

    private Nar(OutputStream out, EntryFilter filter) {
        this.out = out;
        this.filter = filter;
    }

    public static void dump(Path p, OutputStream out) throws IOException {
        dump(p, out, null);
    }

    /** Dumps {@code p}, leaving out the entries (and everything below them) that {@code filter} rejects; called in NAR order. */
    public static void dump(Path p, OutputStream out, EntryFilter filter) throws IOException {
        Nar n = new Nar(out, filter);
        n.str("nix-archive-1");
        n.node(p);
    }

    /** The type names of {@code builtins.readDir} and the path filters. */
    public static String type(Path p) {
        if (Files.isSymbolicLink(p)) return "symlink";
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return "directory";
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return "regular";
        return "unknown";
    }

    private void str(String s) throws IOException {
        str(s.getBytes(StandardCharsets.UTF_8));
    }

    private void str(byte[] b) throws IOException {
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(b.length).array());
        out.write(b);
        int pad = (8 - b.length % 8) % 8;
        out.write(new byte[pad]);
    }

    private void node(Path p) throws IOException {
        str("(");
        str("type");
        if (Files.isSymbolicLink(p)) {
            str("symlink");
            str("target");
            str(Files.readSymbolicLink(p).toString());
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            str("regular");
            if (Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE)) {
                str("executable");
                str("");
            }
            str("contents");
            str(Files.readAllBytes(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            str("directory");
            List<byte[]> names = new ArrayList<>();
            try (Stream<Path> s = Files.list(p)) {
                s.forEach(c -> names.add(c.getFileName().toString().getBytes(StandardCharsets.UTF_8)));
            }
            names.sort(Arrays::compareUnsigned);
            for (byte[] name : names) {
                Path child = p.resolve(new String(name, StandardCharsets.UTF_8));
                if (filter != null && !filter.keep(child, type(child))) continue;
                str("entry");
                str("(");
                str("name");
                str(name);
                str("node");
                node(child);
                str(")");
            }
        } else {
            throw new IOException("file '" + p + "' has an unsupported type");
        }
        str(")");
    }
}
