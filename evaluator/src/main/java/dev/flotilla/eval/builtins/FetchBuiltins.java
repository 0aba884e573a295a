package dev.flotilla.eval.builtins;

import dev.flotilla.eval.Bytes;
import dev.flotilla.eval.Coercion;
import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.EvalOptions;
import dev.flotilla.eval.Force;
import dev.flotilla.eval.Interpreter;
import dev.flotilla.eval.Lazy;
import dev.flotilla.eval.NixAttrs;
import dev.flotilla.eval.NixBool;
import dev.flotilla.eval.NixInt;
import dev.flotilla.eval.NixString;
import dev.flotilla.eval.Pos;
import dev.flotilla.eval.Value;
import dev.flotilla.eval.fetch.Archives;
import dev.flotilla.eval.fetch.Downloads;
import dev.flotilla.eval.fetch.GitFetcher;
import dev.flotilla.eval.store.Hashes;
import dev.flotilla.eval.store.Nar;
import dev.flotilla.eval.syntax.Paths;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Set;

/**
 * {@code fetchurl}, {@code fetchTarball} and {@code fetchGit}: download (http, https, file), check the hash when one is
 * given, and add the result to the store like a source path (so a fleet's lock records it and its
 * build copies it). Downloads are cached per URL for an hour, as Nix's {@code tarball-ttl}.
 */
final class FetchBuiltins {
    private FetchBuiltins() {}

    static void register(Registry r) {
        r.add("fetchurl", 1, FetchBuiltins::fetchurl);
        r.add("fetchTarball", 1, FetchBuiltins::fetchTarball);
        r.add("fetchGit", 1, FetchBuiltins::fetchGit);
    }

    /**
     * {@code fetchGit "url"} or {@code fetchGit { url; ref ? HEAD; rev ? tip of ref; name ? "source"; }}:
     * the tree at that commit, with Nix's attributes ({@code outPath}, {@code rev}, {@code shortRev},
     * {@code revCount}, {@code lastModified}, {@code lastModifiedDate}, {@code narHash}, {@code submodules}).
     */
    static Value fetchGit(Interpreter in, Lazy[] a, Pos pos) {
        Value v = a[0].force();
        String url = null, ref = null, rev = null, name = "source";
        if (v instanceof NixAttrs attrs) {
            for (int k = 0; k < attrs.size(); k++) {
                String n = attrs.name(k);
                Pos at = attrs.position(n) != null ? attrs.position(n) : pos;
                switch (n) {
                    case "url" -> url = Bytes.toJava(Coercion.toNixString(in, attrs.value(k),
                            Coercion.Mode.INTERPOLATE, false, at).value());
                    case "ref" -> ref = Bytes.toJava(Force.stringNoContext(attrs.value(k), at));
                    case "rev" -> rev = Bytes.toJava(Force.stringNoContext(attrs.value(k), at));
                    case "name" -> name = Force.stringNoContext(attrs.value(k), at);
                    case "submodules" -> {
                        if (Force.bool(attrs.value(k), at)) throw new EvalException(at, "fetchGit: submodules are not supported yet");
                    }
                    case "allRefs", "shallow" -> Force.bool(attrs.value(k), at);
                    default -> throw new EvalException(at, "unsupported argument '" + n + "' to 'fetchGit'");
                }
            }
            if (url == null) throw new EvalException(pos, "'url' argument required");
        } else {
            url = Bytes.toJava(Coercion.toNixString(in, a[0], Coercion.Mode.INTERPOLATE,
                    false, pos).value());
        }
        EvalOptions options = in.session().options();
        GitFetcher git = new GitFetcher(Downloads.cacheDir(options.getEnv().apply("XDG_CACHE_HOME"), options.homeDir()));
        GitFetcher.Tree tree;
        try {
            tree = git.fetch(url, ref, rev);
        } catch (IOException e) {
            throw new EvalException(pos, "fetching Git repository '" + url + "': " + e.getMessage());
        }
        if (tree.dirty()) options.traceSink().println("warning: Git tree '" + url + "' is dirty");
        byte[] nar = narHash(tree.root(), pos);
        NixString outPath = (NixString) added(in, tree.root(), name, true, pos);
        return NixAttrs.builder()
                .put("lastModified", new NixInt(tree.lastModified()))
                .put("lastModifiedDate", new NixString(tree.lastModifiedDate()))
                .put("narHash", new NixString("sha256-" + Hashes.base64(nar)))
                .put("outPath", outPath)
                .put("rev", new NixString(tree.rev()))
                .put("revCount", new NixInt(tree.revCount()))
                .put("shortRev", new NixString(tree.shortRev()))
                .put("submodules", NixBool.FALSE)
                .build();
    }

    /** What a fetch builtin was asked for: {@code "url"} or {@code { url; sha256 ? null; name ? default; }}. */
    private record Request(String url, byte[] sha256, String name) {}

    static Value fetchurl(Interpreter in, Lazy[] a, Pos pos) {
        Request r = request(a[0], "fetchurl", null, pos);
        Path file = download(in, r.url(), pos);
        byte[] got;
        try {
            got = Hashes.digest("sha256", Files.readAllBytes(file));
        } catch (IOException e) {
            throw new EvalException(pos, "reading the download of '" + r.url() + "': " + e.getMessage());
        }
        checkHash(r, got, pos);
        String name = r.name() != null ? r.name() : Paths.baseNameOf(Bytes.fromJava(r.url()));
        return added(in, file, name, false, pos);
    }

    static Value fetchTarball(Interpreter in, Lazy[] a, Pos pos) {
        Request r = request(a[0], "fetchTarball", "source", pos);
        Downloads downloads = downloads(in);
        Path archive = download(in, r.url(), pos);
        Path root;
        try {
            root = unpacked(downloads, archive, r.url());
        } catch (IOException e) {
            throw new EvalException(pos, "unpacking '" + r.url() + "': " + e.getMessage());
        }
        checkHash(r, narHash(root, pos), pos);
        return added(in, root, r.name(), true, pos);
    }

    private static Request request(Lazy arg, String who, String defaultName, Pos pos) {
        Value v = arg.force();
        if (!(v instanceof NixAttrs attrs)) {
            return new Request(Bytes.toJava(Force.stringNoContext(arg, pos)), null, defaultName);
        }
        String url = null;
        byte[] sha256 = null;
        String name = defaultName;
        for (int k = 0; k < attrs.size(); k++) {
            String n = attrs.name(k);
            Pos at = attrs.position(n) != null ? attrs.position(n) : pos;
            switch (n) {
                case "url" -> url = Bytes.toJava(Force.stringNoContext(attrs.value(k), at));
                case "sha256" -> sha256 = sha256(Force.stringNoContext(attrs.value(k), at), at);
                case "name" -> name = Force.stringNoContext(attrs.value(k), at);
                default -> throw new EvalException(at, "unsupported argument '" + n + "' to '" + who + "'");
            }
        }
        if (url == null) throw new EvalException(pos, "'url' argument required");
        return new Request(url, sha256, name);
    }

    private static byte[] sha256(String s, Pos pos) {
        String digest = s.startsWith("sha256-") || s.startsWith("sha256:") ? s.substring(7) : s;
        byte[] h = Hashes.parse("sha256", digest);
        if (h == null) throw new EvalException(pos, "invalid SHA-256 hash '" + s + "'");
        return h;
    }

    private static Downloads downloads(Interpreter in) {
        EvalOptions options = in.session().options();
        return new Downloads(Downloads.cacheDir(options.getEnv().apply("XDG_CACHE_HOME"), options.homeDir()),
                Downloads.DEFAULT_TTL);
    }

    private static Path download(Interpreter in, String url, Pos pos) {
        try {
            return downloads(in).fetch(url);
        } catch (IOException e) {
            throw new EvalException(pos, e.getMessage() != null && e.getMessage().contains(url)
                    ? e.getMessage() : "unable to download '" + url + "': " + e.getMessage());
        }
    }

    /** The archive's single top-level entry, unpacked once per archive content into the cache. */
    private static Path unpacked(Downloads downloads, Path archive, String url) throws IOException {
        String content = Hashes.hex(Hashes.digest("sha256", Files.readAllBytes(archive))).substring(0, 32);
        Path dir = downloads.derived(url, content + ".unpacked");
        if (!Files.isDirectory(dir)) {
            Path tmp = Files.createTempDirectory(dir.getParent(), ".unpack-");
            try {
                Archives.unpackSingleRoot(archive, tmp.resolve("root"), url);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(dir)) throw e;
            } finally {
                Archives.deleteTree(tmp);
            }
        }
        try (var entries = Files.list(dir.resolve("root"))) {
            return entries.findFirst().orElseThrow(() -> new IOException("the unpacked copy of '" + url + "' is empty"));
        }
    }

    private static byte[] narHash(Path root, Pos pos) {
        MessageDigest md = Hashes.digester("sha256");
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
            Nar.dump(root, out, null);
        } catch (IOException e) {
            throw new EvalException(pos, "hashing '" + root + "': " + e.getMessage());
        }
        return md.digest();
    }

    private static void checkHash(Request r, byte[] got, Pos pos) {
        if (r.sha256() != null && !Arrays.equals(r.sha256(), got)) {
            throw new EvalException(pos, "hash mismatch in file downloaded from '" + r.url() + "':\n"
                    + "         specified: sha256:" + Hashes.nix32(r.sha256()) + "\n"
                    + "         got:       sha256:" + Hashes.nix32(got));
        }
    }

    private static Value added(Interpreter in, Path file, String name, boolean recursive, Pos pos) {
        String sp = in.session().store().addPath(Bytes.fromJava(file.toString()), name, recursive, null, null, pos);
        return new NixString(sp, Set.of(sp));
    }
}
