package dev.flotilla.controller.fleet.service;

import dev.flotilla.eval.fetch.Archives;
import dev.flotilla.store.Hash;
import dev.flotilla.store.nar.NarWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The files of fleet folders, below one work directory: copies a folder as it is now (a pin: its NAR
 * hash and a deterministic tar.gz), unpacks uploads safely, and unpacks pinned content once per hash
 * into {@code content/<hex>}, where it is never changed again. Every folder is written under a
 * temporary name and renamed into place, so a crash leaves no half-written folder under its real name.
 */
public final class FleetFolders {

    /** A folder's content, pinned: {@code hash} is the SRI SHA-256 of its NAR; {@code archive} a tar.gz of it. */
    public record Pinned(String hash, byte[] archive) {}

    /** Too big, or not a tree of plain files, folders and symbolic links. */
    public static final class RefusedException extends IOException {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    private final Path work;
    private final long maxBytes;

    public FleetFolders(Path work, long maxBytes) {
        this.work = work;
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Copies {@code folder} (without {@code .git}), hashes the copy and packs it; the copy becomes the content folder. */
    public Pinned pin(Path folder) throws IOException {
        Path tmp = temporary();
        try {
            copy(folder, tmp);
            String hash = NarWriter.summarize(tmp).narHash().toSri();
            byte[] archive = pack(tmp);
            if (archive.length > maxBytes) {
                throw new RefusedException(folder + " packs into " + archive.length + " bytes, more than the limit of " + maxBytes);
            }
            place(tmp, contentDir(hash));
            return new Pinned(hash, archive);
        } finally {
            Archives.deleteTree(tmp);
        }
    }

    /** Unpacks an uploaded archive (at most {@code maxBytes} read) and pins what it holds. */
    public Pinned pinUpload(InputStream archive) throws IOException {
        Path tmp = temporary();
        try {
            // Capped after gunzip too, so that a small archive cannot unpack into a huge folder.
            InputStream in = new java.io.BufferedInputStream(new Capped(archive, maxBytes));
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            Archives.unpack(gzip ? new Capped(new java.util.zip.GZIPInputStream(in, 1 << 16), maxBytes) : in, tmp, "upload");
            return pin(root(tmp));
        } finally {
            Archives.deleteTree(tmp);
        }
    }

    /** The unpacked content of {@code hash}, unpacking {@code archive} first when this replica has not yet. */
    public Path unpacked(String hash, byte[] archive) throws IOException {
        Path dir = contentDir(hash);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path tmp = temporary();
        try {
            Archives.unpack(new ByteArrayInputStream(archive), tmp, "fleet content " + hash);
            String actual = NarWriter.summarize(tmp).narHash().toSri();
            if (!actual.equals(hash)) {
                throw new IOException("fleet content " + hash + " unpacks to " + actual + ": the stored archive is damaged");
            }
            place(tmp, dir);
            return dir;
        } finally {
            Archives.deleteTree(tmp);
        }
    }

    /** Where content {@code hash} is unpacked (named by the hash in hex: SRI has '/' in it). */
    public Path contentDir(String hash) {
        return work.resolve("content").resolve(Hash.parse(hash).toHex());
    }

    /** An archive's folder: the top level, or its only folder when the top level has no fleet.nix (GitHub-style tarballs). */
    private static Path root(Path unpacked) throws IOException {
        if (Files.exists(unpacked.resolve("fleet.nix"))) {
            return unpacked;
        }
        try (Stream<Path> s = Files.list(unpacked)) {
            List<Path> top = s.toList();
            if (top.size() == 1 && Files.isDirectory(top.get(0), LinkOption.NOFOLLOW_LINKS)) {
                return top.get(0);
            }
        }
        return unpacked;
    }

    private Path temporary() throws IOException {
        return Files.createDirectories(work.resolve("tmp")).resolve(UUID.randomUUID().toString());
    }

    private static void place(Path tmp, Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.getParent());
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
            // Another request pinned the same content at the same time: same hash, same files.
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + tmp + " to " + dir + " atomically", e);
        }
    }

    /** Copies files, folders and symbolic links (as links); skips .git; refuses devices and more than maxBytes. */
    private void copy(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new RefusedException(from + ": not a directory");
        }
        long total = 0;
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted().toList()) {
                Path rel = from.relativize(p);
                if (!rel.toString().isEmpty() && rel.getName(0).toString().equals(".git")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    total += Files.size(p);
                    if (total > maxBytes) {
                        throw new RefusedException(from + " holds more than the limit of " + maxBytes + " bytes");
                    }
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                } else {
                    throw new RefusedException(p + ": neither a file, a folder nor a symbolic link");
                }
            }
        }
    }

    /** A tar.gz whose bytes depend on the files only: sorted names, no times, no owners. */
    static byte[] pack(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted().toList()) {
                    String name = dir.relativize(p).toString();
                    if (name.isEmpty()) {
                        continue;
                    }
                    TarArchiveEntry e;
                    if (Files.isSymbolicLink(p)) {
                        e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                        e.setLinkName(Files.readSymbolicLink(p).toString());
                    } else if (Files.isDirectory(p)) {
                        e = new TarArchiveEntry(name + "/");
                        e.setMode(040755);
                    } else {
                        e = new TarArchiveEntry(name);
                        e.setMode(Files.isExecutable(p) ? 0100755 : 0100644);
                        e.setSize(Files.size(p));
                    }
                    e.setModTime(0);
                    tar.putArchiveEntry(e);
                    if (e.isFile()) {
                        Files.copy(p, tar);
                    }
                    tar.closeArchiveEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    /** Refuses to read more than {@code max} bytes: an upload cannot fill the disk. */
    private static final class Capped extends FilterInputStream {
        private final long max;
        private long read;

        Capped(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) throws IOException {
            read += n;
            if (read > max) {
                throw new RefusedException("the archive is larger than the limit of " + max + " bytes");
            }
        }
    }
}
