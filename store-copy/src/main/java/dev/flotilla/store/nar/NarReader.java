package dev.flotilla.store.nar;

import dev.flotilla.store.ErrorCode;
import dev.flotilla.store.Hash;
import dev.flotilla.store.HashAlgorithm;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StoreException;
import dev.flotilla.store.internal.FsUtil;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.EnumSet;
import java.util.Set;

/**
 * Restores one NAR from a stream into a new file-system object, validating as it goes
 * (spec §1.4, and stricter): it reads exactly the NAR's bytes and never past them, streams file
 * contents without allocating by any declared length, refuses anything a canonical writer would not
 * produce (so that the restored tree re-serialises to the very bytes received), refuses names and
 * symlink targets that could escape, and deletes everything it wrote when it fails.
 *
 * <p>A stream that ends early raises {@link EOFException}; a NAR longer than the limit raises a
 * {@link StoreException} with {@link ErrorCode#SIZE_MISMATCH}; every other defect one with
 * {@link ErrorCode#MALFORMED_NAR}.
 */
public final class NarReader {
    private static final byte[] ZEROS = new byte[8];
    private static final int SYNC_BATCH = 4096;

    /**
     * @param storeDir     absolute symlink targets must lie inside it; null allows any absolute target
     * @param maxBytes     the NAR may not be longer (for imports: the size that was claimed)
     * @param canonicalize give every object store permissions (0444/0555) and mtime 1
     * @param fsync        flush every file and directory to disk before returning
     */
    public record Options(StoreDir storeDir, long maxBytes, boolean canonicalize, boolean fsync) {
        public Options {
            if (maxBytes <= 0) {
                throw new IllegalArgumentException("maxBytes must be positive");
            }
        }

        /** For restoring outside a store: no size limit beyond {@code maxBytes}, normal permissions. */
        public static Options plain(long maxBytes) {
            return new Options(null, maxBytes, false, false);
        }
    }

    private final InputStream in;
    private final Options options;
    private final MessageDigest digest = HashAlgorithm.SHA256.newDigest();
    private final byte[] lengthBuf = new byte[8];
    private final byte[] buffer = new byte[64 * 1024];
    private long count;
    /** Written but not yet fsynced, in order; see {@link #syncPending}. */
    private final List<Path> unsynced = new ArrayList<>();

    private NarReader(InputStream in, Options options) {
        this.in = in;
        this.options = options;
    }

    /**
     * Restores the NAR read from {@code in} at {@code target}, which must not exist yet (its parent must).
     * Returns the NAR's SHA-256 and size. On any failure nothing remains at {@code target}.
     */
    public static NarSummary restore(InputStream in, Path target, Options options) throws IOException {
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.FileAlreadyExistsException(target.toString());
        }
        NarReader reader = new NarReader(in, options);
        try {
            reader.expect(NarFormat.MAGIC, "not a NAR: bad magic");
            reader.node(target, 0);
            if (options.fsync()) {
                reader.syncPending();
                FsUtil.fsyncDirectory(target.getParent());
            }
        } catch (IOException | RuntimeException | Error e) {
            FsUtil.deleteQuietly(target, e);
            throw e;
        }
        return new NarSummary(new Hash(HashAlgorithm.SHA256, reader.digest.digest()), reader.count);
    }

    private void node(Path p, int depth) throws IOException {
        if (depth > NarFormat.MAX_DEPTH) {
            throw malformed("directory nesting deeper than " + NarFormat.MAX_DEPTH);
        }
        expect("(", "expected '('");
        expect("type", "expected 'type'");
        String type = token();
        switch (type) {
            case "regular" -> regular(p);
            case "symlink" -> symlink(p, depth);
            case "directory" -> directory(p, depth);
            default -> throw malformed("unknown file type '" + type + "'");
        }
    }

    private void regular(Path p) throws IOException {
        String field = token();
        boolean executable = false;
        if (field.equals("executable")) {
            expect("", "the value of 'executable' must be empty");
            executable = true;
            field = token();
        }
        if (!field.equals("contents")) {
            throw malformed("unexpected field '" + field + "' in a regular file");
        }
        long size = readLength();
        checkBudget(size, "file contents");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(buffer.length, left);
                readFully(buffer, n);
                ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
                left -= n;
            }
            readPadding(size);
            expect(")", "expected ')' after file contents");
            // permissions and times first, so that the (batched) fsync makes them durable too
            if (options.canonicalize()) {
                FsUtil.canonicalize(p, false, executable, false);
            } else if (executable) {
                Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
                perms.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                        PosixFilePermission.OTHERS_EXECUTE));
                Files.setPosixFilePermissions(p, perms);
            }
        }
        deferSync(p);
    }

    private void symlink(Path p, int depth) throws IOException {
        expect("target", "expected 'target'");
        byte[] raw = string(NarFormat.MAX_TARGET, "symlink target");
        String target = decode(raw, "symlink target");
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw malformed("empty symlink target or NUL in it");
        }
        checkTargetStaysInside(target, depth);
        Path targetPath;
        try {
            targetPath = Path.of(target);
        } catch (InvalidPathException e) {
            throw malformed("symlink target '" + target + "' is not representable");
        }
        if (!targetPath.toString().equals(target)) {
            // the JDK would store a normalised target, which would change the content
            throw malformed("symlink target '" + target + "' is not in normal form");
        }
        expect(")", "expected ')' after symlink target");
        Files.createSymbolicLink(p, targetPath);
        if (options.canonicalize()) {
            FsUtil.canonicalize(p, false, false, true);
        }
    }

    /**
     * A relative target may not climb above the top of the restored object; an absolute one must
     * stay in the store directory. Both are checked lexically, component by component.
     */
    private void checkTargetStaysInside(String target, int depth) throws StoreException {
        if (target.startsWith("/")) {
            if (options.storeDir() == null) {
                return;
            }
            java.util.ArrayDeque<String> stack = new java.util.ArrayDeque<>();
            for (String c : target.split("/")) {
                if (c.isEmpty() || c.equals(".")) {
                    continue;
                }
                if (c.equals("..")) {
                    stack.pollLast();
                } else {
                    stack.addLast(c);
                }
            }
            String normal = "/" + String.join("/", stack);
            if (!options.storeDir().contains(normal)) {
                throw malformed("symlink target '" + target + "' points outside the store");
            }
            return;
        }
        int level = depth - 1; // the directory holding the link, counted from the top object
        for (String c : target.split("/")) {
            if (c.equals("..")) {
                level--;
            } else if (!c.isEmpty() && !c.equals(".")) {
                level++;
            }
            if (level < 0) {
                throw malformed("symlink target '" + target + "' climbs out of the path");
            }
        }
    }

    private void directory(Path p, int depth) throws IOException {
        Files.createDirectory(p);
        byte[] previous = null;
        while (true) {
            String field = token();
            if (field.equals(")")) {
                break;
            }
            if (!field.equals("entry")) {
                throw malformed("unexpected field '" + field + "' in a directory");
            }
            expect("(", "expected '(' after 'entry'");
            expect("name", "expected 'name'");
            byte[] name = string(NarFormat.MAX_NAME, "entry name");
            checkName(name);
            if (previous != null && Arrays.compareUnsigned(previous, name) >= 0) {
                throw malformed("NAR directory is not sorted");
            }
            previous = name;
            expect("node", "expected 'node'");
            Path child = p.resolve(decode(name, "entry name"));
            node(child, depth + 1);
            expect(")", "expected ')' after an entry");
        }
        if (options.canonicalize()) {
            FsUtil.canonicalize(p, true, false, false);
        }
        deferSync(p);
    }

    /**
     * fsyncs are batched: written objects are flushed together, every {@link #SYNC_BATCH} objects and
     * at the end, before {@link #restore} returns. On ext4 one commit then covers the whole batch and
     * the other fsyncs find nothing left to do, where one fsync per file right after writing it pays
     * a journal commit each (and, on a busy disk, other processes' dirty data too). The batch bounds
     * the memory a NAR of many tiny files can take.
     */
    private void deferSync(Path p) throws IOException {
        if (options.fsync()) {
            unsynced.add(p);
            if (unsynced.size() >= SYNC_BATCH) {
                syncPending();
            }
        }
    }

    private void syncPending() throws IOException {
        for (Path p : unsynced) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
        unsynced.clear();
    }

    private void checkName(byte[] name) throws StoreException {
        if (name.length == 0 || Arrays.equals(name, NarFormat.ascii(".")) || Arrays.equals(name, NarFormat.ascii(".."))) {
            throw malformed("invalid entry name '" + new String(name, StandardCharsets.UTF_8) + "'");
        }
        for (byte b : name) {
            if (b == '/' || b == 0) {
                throw malformed("entry name contains '/' or NUL");
            }
        }
    }

    /** Names and targets must be valid UTF-8: that is how the JDK names files (see {@link NarWriter}). */
    private static String decode(byte[] raw, String what) throws StoreException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw malformed(what + " is not valid UTF-8");
        }
    }

    private String token() throws IOException {
        return new String(string(NarFormat.MAX_TOKEN, "token"), StandardCharsets.US_ASCII);
    }

    private void expect(String wanted, String message) throws IOException {
        byte[] got = string(Math.max(NarFormat.MAX_TOKEN, wanted.length()), "token");
        if (!Arrays.equals(got, NarFormat.ascii(wanted))) {
            throw malformed(message);
        }
    }

    private byte[] string(int max, String what) throws IOException {
        long len = readLength();
        if (len > max) {
            throw malformed(what + " length " + Long.toUnsignedString(len) + " exceeds " + max);
        }
        byte[] b = new byte[(int) len];
        readFully(b, b.length);
        readPadding(len);
        return b;
    }

    /** An unsigned 64-bit length; anything past {@code Long.MAX_VALUE} is absurd and refused. */
    private long readLength() throws IOException {
        readFully(lengthBuf, 8);
        long n = 0;
        for (int i = 7; i >= 0; i--) {
            n = (n << 8) | (lengthBuf[i] & 0xFF);
        }
        if (n < 0) {
            throw malformed("absurd length field " + Long.toUnsignedString(n));
        }
        return n;
    }

    private void checkBudget(long size, String what) throws StoreException {
        long needed = size + NarFormat.padding(size);
        if (needed > options.maxBytes() - count) {
            throw tooLong(what + " of " + size + " bytes");
        }
    }

    private void readPadding(long len) throws IOException {
        int pad = NarFormat.padding(len);
        if (pad > 0) {
            byte[] p = new byte[pad];
            readFully(p, pad);
            if (!Arrays.equals(p, 0, pad, ZEROS, 0, pad)) {
                throw malformed("non-zero padding");
            }
        }
    }

    private void readFully(byte[] b, int len) throws IOException {
        if (len > options.maxBytes() - count) {
            throw tooLong("the NAR");
        }
        int off = 0;
        while (off < len) {
            int n = in.read(b, off, len - off);
            if (n < 0) {
                throw new EOFException("NAR stream ended after " + (count + off) + " bytes");
            }
            off += n;
        }
        digest.update(b, 0, len);
        count += len;
    }

    private StoreException tooLong(String what) {
        return new StoreException(ErrorCode.SIZE_MISMATCH, what + " would exceed the NAR size of " + options.maxBytes() + " bytes");
    }

    private static StoreException malformed(String message) {
        return new StoreException(ErrorCode.MALFORMED_NAR, "malformed NAR: " + message);
    }
}
