package dev.flotilla.store.nar;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Serialises a file, symlink or directory tree exactly as {@code nix-store --dump} does (spec §1.2):
 * symlinks are never followed, directory entries are sorted by unsigned name bytes, and only the
 * owner-execute bit is recorded. File names are taken as the UTF-8 bytes of their Java names, which
 * is exact when the JVM runs with a UTF-8 {@code sun.jnu.encoding}.
 */
public final class NarWriter {
    private static final byte[] ZEROS = new byte[8];

    private final OutputStream out;
    private final byte[] lengthBuf = new byte[8];

    private NarWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes the NAR of {@code path} to {@code out} (buffered here; {@code out} is flushed, not closed). */
    public static void dump(Path path, OutputStream out) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, 64 * 1024) {
            @Override
            public void close() {
                // the caller owns the stream
            }
        };
        NarWriter writer = new NarWriter(buffered);
        writer.string(NarFormat.ascii(NarFormat.MAGIC));
        writer.node(path);
        buffered.flush();
    }

    /** SHA-256 and size of the NAR of {@code path}, without keeping it. */
    public static NarSummary summarize(Path path) throws IOException {
        HashingOutputStream sink = new HashingOutputStream(null);
        dump(path, sink);
        return sink.summary();
    }

    private void node(Path p) throws IOException {
        PosixFileAttributes st = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        token("(");
        token("type");
        if (st.isRegularFile()) {
            token("regular");
            if (st.permissions().contains(PosixFilePermission.OWNER_EXECUTE)) {
                token("executable");
                token("");
            }
            token("contents");
            contents(p, st.size());
        } else if (st.isDirectory()) {
            token("directory");
            for (byte[] name : sortedNames(p)) {
                token("entry");
                token("(");
                token("name");
                string(name);
                token("node");
                node(p.resolve(new String(name, StandardCharsets.UTF_8)));
                token(")");
            }
        } else if (st.isSymbolicLink()) {
            token("symlink");
            token("target");
            string(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
        } else {
            throw new IOException("file '" + p + "' has an unsupported type");
        }
        token(")");
    }

    private static List<byte[]> sortedNames(Path dir) throws IOException {
        List<byte[]> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        names.sort(Arrays::compareUnsigned);
        return names;
    }

    /** Streams the file; its size is fixed by the length already written, so a file that changes under us is an error. */
    private void contents(Path p, long size) throws IOException {
        length(size);
        byte[] buf = new byte[64 * 1024];
        long left = size;
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("file '" + p + "' shrank while it was being serialised");
                }
                out.write(buf, 0, n);
                left -= n;
            }
            if (in.read() >= 0) {
                throw new IOException("file '" + p + "' grew while it was being serialised");
            }
        }
        out.write(ZEROS, 0, NarFormat.padding(size));
    }

    private void token(String s) throws IOException {
        string(NarFormat.ascii(s));
    }

    private void string(byte[] b) throws IOException {
        length(b.length);
        out.write(b);
        out.write(ZEROS, 0, NarFormat.padding(b.length));
    }

    private void length(long n) throws IOException {
        for (int i = 0; i < 8; i++) {
            lengthBuf[i] = (byte) (n >>> (8 * i));
        }
        out.write(lengthBuf);
    }
}
