package dev.flotilla.store.build;

import dev.flotilla.json.Json;
import dev.flotilla.json.JsonValue;
import dev.flotilla.store.Hash;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.Nix32;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.nar.ReferenceScanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a host's {@link SystemConfig} into its system toplevel store path:
 *
 * <pre>
 *   etc/&lt;name&gt;       regular files (text, or the contents of a source file)
 *   sw/...            links into the packages' store paths (only when there are packages)
 *   manifest.json     what the agent reads (see agent/README.md)
 * </pre>
 *
 * added to the store as one signed path whose references are found by scanning it for the store
 * paths the configuration mentions (packages, sources, paths in commands and texts) and their
 * closures. The output depends only on the configuration (no time stamps, no build directory),
 * so the same configuration gives the same path on every machine. A configuration already built
 * into this store is answered from a small index without building anything again.
 * Thread-safe: hosts may be built in parallel.
 */
public final class SystemBuilder {

    public static final int MANIFEST_VERSION = 1;
    /** Part of every build key: bump when the layout of a toplevel changes. */
    static final String LAYOUT = "flotilla-system-1";

    private final LocalStore store;
    private final SigningKey signer;
    private final Pattern storePathPattern;

    public SystemBuilder(LocalStore store, SigningKey signer) {
        this.store = store;
        this.signer = signer;
        this.storePathPattern = Pattern.compile(Pattern.quote(store.storeDir().path() + "/")
                + "[" + Nix32.ALPHABET + "]{32}-[A-Za-z0-9+\\-._?=]+");
    }

    public static String toplevelName(String hostName) {
        return "flotilla-system-" + hostName;
    }

    /** Where built systems are indexed by build key: {@code <root>/flotilla/var/db/systems/<key>} holds the toplevel's base name. */
    Path indexDir() {
        return store.physicalRoot().resolve("flotilla/var/db/systems");
    }

    public PathInfo build(String hostName, SystemConfig config) throws IOException {
        byte[] manifest = manifest(hostName, config);
        Map<String, byte[]> etc = new TreeMap<>();
        Set<StorePath> mentioned = new TreeSet<>();
        for (SystemConfig.EtcEntry e : config.etc().values()) {
            etc.put(e.name(), contents(e, mentioned));
        }
        List<StorePath> packages = new ArrayList<>();
        for (int i = 0; i < config.packages().size(); i++) {
            StorePath p = requireStorePath(config.packages().get(i), "environment.packages[" + (i + 1) + "]");
            packages.add(p);
            mentioned.add(p);
        }
        mentionedIn(new String(manifest, StandardCharsets.UTF_8), "the manifest", mentioned);
        for (Map.Entry<String, byte[]> e : etc.entrySet()) {
            mentionedIn(new String(e.getValue(), StandardCharsets.ISO_8859_1), SystemConfig.etcWhere(e.getKey()), mentioned);
        }
        String key = buildKey(hostName, manifest, etc, config, mentioned);
        Optional<PathInfo> done = lookup(key);
        if (done.isPresent()) {
            return done.get();
        }
        Set<StorePath> candidates = store.closure(mentioned);
        Path work = Files.createTempDirectory("flotilla-build-");
        try {
            Path root = work.resolve("system");
            Files.createDirectories(root.resolve("etc"));
            for (SystemConfig.EtcEntry e : config.etc().values()) {
                Path file = root.resolve("etc").resolve(e.name());
                Files.createDirectories(file.getParent());
                Files.write(file, etc.get(e.name()));
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(e.executable() ? "r-xr-xr-x" : "r--r--r--"));
            }
            if (!packages.isEmpty()) {
                SwTree.build(store, packages, root.resolve("sw"));
            }
            Files.write(root.resolve("manifest.json"), manifest);
            Set<StorePath> references = ReferenceScanner.scan(root, candidates);
            PathInfo info = store.addTree(root, toplevelName(hostName), references, signer);
            remember(key, info.path());
            return info;
        } finally {
            deleteTree(work);
        }
    }

    /** The bytes of an etc entry; a store source must be valid here, and is recorded as mentioned. */
    private byte[] contents(SystemConfig.EtcEntry e, Set<StorePath> mentioned) throws IOException {
        if (e.text() != null) {
            return e.text();
        }
        String where = SystemConfig.etcWhere(e.name()) + ".source";
        String source = e.source();
        Path file;
        if (store.storeDir().contains(source)) {
            String rest = source.substring(store.storeDir().path().length() + 1);
            int slash = rest.indexOf('/');
            StorePath p = requireStorePath(store.storeDir().path() + "/" + (slash < 0 ? rest : rest.substring(0, slash)), where);
            mentioned.add(p);
            file = slash < 0 ? store.physical(p) : store.physical(p).resolve(rest.substring(slash + 1));
        } else {
            file = Path.of(source); // a plain host.nix's local file
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(where + ": " + source + " is not a regular file");
        }
        return Files.readAllBytes(file);
    }

    private StorePath requireStorePath(String absolute, String where) throws IOException {
        StorePath p;
        try {
            p = StorePath.parse(store.storeDir(), absolute);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
        if (!store.isValid(p)) {
            throw new ConfigException(where + ": " + absolute + " is not in the store " + store.physical(p).getParent()
                    + " (add or build it first)");
        }
        return p;
    }

    /** Store paths named in {@code text}: each must be valid (a trailing '.' or similar is tolerated). */
    private void mentionedIn(String text, String where, Set<StorePath> out) throws IOException {
        Matcher m = storePathPattern.matcher(text);
        while (m.find()) {
            String s = m.group();
            StorePath found = null;
            while (found == null && s.length() > store.storeDir().path().length() + 34) {
                StorePath p = StorePath.parse(store.storeDir(), s);
                if (store.isValid(p)) {
                    found = p;
                } else if (".?=+-_".indexOf(s.charAt(s.length() - 1)) >= 0) {
                    s = s.substring(0, s.length() - 1);
                } else {
                    break;
                }
            }
            if (found == null) {
                throw new ConfigException(where + " mentions " + m.group() + ", which is not in the store (add or build it first)");
            }
            out.add(found);
        }
    }

    static String buildKey(String host, byte[] manifest, Map<String, byte[]> etc, SystemConfig config,
                           Set<StorePath> mentioned) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("layout", LAYOUT);
        key.put("host", host);
        key.put("manifest", Hash.sha256(manifest).toNix32());
        Map<String, String> files = new TreeMap<>();
        etc.forEach((n, bytes) -> files.put(n, Hash.sha256(bytes).toNix32()));
        key.put("etc", files);
        key.put("packages", config.packages());
        key.put("mentioned", mentioned.stream().map(StorePath::absolute).toList());
        // Jackson wrote characters beyond U+FFFF in keys as backslash-u escapes: such a key changes once (one rebuild, same path).
        return Hash.sha256(Json.pretty(json(key)).getBytes(StandardCharsets.UTF_8)).toNix32();
    }

    private Optional<PathInfo> lookup(String key) throws IOException {
        Path entry = indexDir().resolve(key);
        if (!Files.isRegularFile(entry)) {
            return Optional.empty();
        }
        StorePath p;
        try {
            p = StorePath.fromBaseName(store.storeDir(), Files.readString(entry).strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!store.isValid(p)) {
            return Optional.empty();
        }
        PathInfo info = store.requireInfo(p);
        if (signer != null && info.signatures().stream().noneMatch(s -> signer.publicKey().verify(info.fingerprint(), s))) {
            return Optional.of(store.sign(p, signer));
        }
        return Optional.of(info);
    }

    private void remember(String key, StorePath path) throws IOException {
        Files.createDirectories(indexDir());
        Path tmp = Files.createTempFile(indexDir(), ".tmp-", "");
        Files.writeString(tmp, path.baseName() + "\n");
        Files.move(tmp, indexDir().resolve(key), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The manifest the agent reads; sections other than etc and healthChecks appear only when not empty. */
    static byte[] manifest(String hostName, SystemConfig config) {
        Map<String, Object> etc = new TreeMap<>();
        config.etc().forEach((name, e) -> etc.put(name, Map.of("mode", Values.showMode(e.mode()))));
        Map<String, Object> checks = new TreeMap<>();
        config.healthChecks().forEach((name, c) -> checks.put(name, c.toManifest()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", MANIFEST_VERSION);
        m.put("host", hostName);
        m.put("etc", etc);
        m.put("healthChecks", checks);
        section(m, "services", config.services(), ServiceSpec::toManifest);
        section(m, "activation", config.activation(), ActivationScript::toManifest);
        section(m, "secrets", config.secrets(), SecretSpec::toManifest);
        return (Json.pretty(json(m)) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * As JSON with every map's members sorted by name, as they always were: the bytes of a manifest must not
     * change between versions (the toplevel's store path hashes them), nor those of a build key.
     */
    private static JsonValue json(Object v) {
        return Json.fromPlain(v);
    }

    private static <T> void section(Map<String, Object> m, String name, Map<String, T> entries,
                                    java.util.function.Function<T, Map<String, Object>> render) {
        if (!entries.isEmpty()) {
            Map<String, Object> out = new TreeMap<>();
            entries.forEach((k, v) -> out.put(k, render.apply(v)));
            m.put(name, out);
        }
    }

    private static void deleteTree(Path dir) {
        try {
            dev.flotilla.store.internal.FsUtil.deleteTree(dir);
        } catch (IOException e) {
            // A leftover temporary directory is harmless; the store path itself is already complete or absent.
        }
    }
}
