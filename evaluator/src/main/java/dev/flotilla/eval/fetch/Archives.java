package dev.flotilla.eval.fetch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Unpacks the tarballs (and zip files) that {@code fetchTarball} downloads: tar plain or compressed
 * with gzip, bzip2 or xz, recognised by their first bytes. An archive cannot write outside the
 * folder it is unpacked into: absolute names, {@code ..} and names that lead through a symbolic link
 * are refused, and device files are not created.
 */
public final class Archives {

    private Archives() {}

    /** Unpacks {@code archive} into the new folder {@code into} and returns its only top-level entry, as Nix requires. */
    public static Path unpackSingleRoot(Path archive, Path into, String url) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive))) {
            unpack(raw, into, url);
        }
        List<Path> top;
        try (Stream<Path> s = Files.list(into)) {
            top = s.toList();
        }
        if (top.size() != 1) {
            throw new IOException("tarball '" + url + "' contains an unexpected number of top-level files");
        }
        return top.get(0);
    }

    /** Unpacks the archive read from {@code in} (any supported kind) into the new folder {@code into}. */
    public static void unpack(InputStream in, Path into, String url) throws IOException {
        Files.createDirectories(into);
        InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in);
        try (ArchiveInputStream<? extends ArchiveEntry> entries = open(buffered, url)) {
            ArchiveEntry e;
            while ((e = entries.getNextEntry()) != null) {
                unpack(entries, e, into, url);
            }
        }
    }

    private static ArchiveInputStream<? extends ArchiveEntry> open(InputStream in, String url) throws IOException {
        in.mark(8);
        byte[] magic = in.readNBytes(6);
        in.reset();
        if (starts(magic, 0x1f, 0x8b)) return new TarArchiveInputStream(new GZIPInputStream(in, 1 << 16));
        if (starts(magic, 'B', 'Z', 'h')) return new TarArchiveInputStream(new BZip2CompressorInputStream(in, true));
        if (starts(magic, 0xfd, '7', 'z', 'X', 'Z', 0)) return new TarArchiveInputStream(new XZCompressorInputStream(in, true));
        if (starts(magic, 'P', 'K', 3, 4)) return new ZipArchiveInputStream(in);
        return new TarArchiveInputStream(in);
    }

    private static boolean starts(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) return false;
        for (int k = 0; k < prefix.length; k++) {
            if ((bytes[k] & 0xff) != prefix[k]) return false;
        }
        return true;
    }

    private static void unpack(InputStream data, ArchiveEntry e, Path root, String url) throws IOException {
        Path target = inside(root, e.getName(), url);
        if (target.equals(root)) return;
        directoryAt(root, target.getParent(), url);
        if (e instanceof TarArchiveEntry t && (t.isCharacterDevice() || t.isBlockDevice() || t.isFIFO())) {
            throw new IOException("tarball '" + url + "' contains a device or pipe '" + e.getName() + "', which is not unpacked");
        }
        if (e.isDirectory()) {
            directoryAt(root, target, url);
        } else if (e instanceof TarArchiveEntry t && t.isSymbolicLink()) {
            replace(target);
            Files.createSymbolicLink(target, Path.of(t.getLinkName()));
        } else if (e instanceof TarArchiveEntry t && t.isLink()) {
            Path source = inside(root, t.getLinkName(), url);
            if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("tarball '" + url + "' hard-links '" + e.getName() + "' to a missing file");
            }
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } else {
            replace(target);
            Files.copy(data, target);
            boolean executable = (mode(e) & 0100) != 0;
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
    }

    private static int mode(ArchiveEntry e) {
        return switch (e) {
            case TarArchiveEntry t -> t.getMode();
            case ZipArchiveEntry z -> z.getUnixMode();
            default -> 0644;
        };
    }

    /** {@code name} below {@code root}, or an error when it would leave it. */
    private static Path inside(Path root, String name, String url) throws IOException {
        if (name.startsWith("/")) throw new IOException("tarball '" + url + "' has an absolute member '" + name + "'");
        Path target = root;
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) throw new IOException("tarball '" + url + "' has a member outside it: '" + name + "'");
            target = target.resolve(part);
        }
        return target;
    }

    /** Makes {@code dir} (below {@code root}) a real folder, never following a symbolic link on the way. */
    private static void directoryAt(Path root, Path dir, String url) throws IOException {
        Path at = root;
        for (Path part : root.relativize(dir)) {
            if (part.toString().isEmpty()) continue;
            at = at.resolve(part);
            if (Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) continue;
            if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("tarball '" + url + "' puts a member below '" + root.relativize(at)
                        + "', which is not a folder (a symbolic link is not followed)");
            }
            try {
                Files.createDirectory(at);
            } catch (FileAlreadyExistsException raced) {
                throw new IOException("tarball '" + url + "': '" + root.relativize(at) + "' changed while unpacking");
            }
        }
    }

    private static void replace(Path target) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("archive member '" + target.getFileName() + "' would replace a folder");
        }
        Files.deleteIfExists(target);
    }

    /** Deletes a folder tree (best effort), for unpack attempts that failed. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(all::add);
        } catch (IOException e) {
            return;
        }
        for (int k = all.size() - 1; k >= 0; k--) {
            try {
                Files.deleteIfExists(all.get(k));
            } catch (IOException ignored) {
                // best effort: a leftover temp folder is harmless
            }
        }
    }
}
