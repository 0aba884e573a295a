package dev.flotilla.store.build;

import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.internal.FsUtil;
import dev.flotilla.store.nar.NarSummary;
import dev.flotilla.store.nar.NarWriter;
import dev.flotilla.store.nar.ReferenceScanner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Realises derivations: runs each builder once, in a {@link Sandbox}, with a clean environment
 * (the derivation's own variables, its outputs, and Nix's fixed {@code HOME=/homeless-shelter},
 * {@code PATH=/path-not-set}, {@code TMPDIR}/{@code NIX_BUILD_TOP} = the private build directory),
 * after realising the derivations it depends on. Each output is scanned for references to its
 * inputs' closure (and to the derivation's own outputs), registered in the store read-only and
 * signed; nothing is registered unless the builder succeeded and produced every output, so a
 * failed build leaves the store as it was. Valid outputs are never rebuilt. The builder's output
 * goes to {@link BuildLogs}. Thread-safe: one derivation is built once however many hosts need it.
 */
public final class DerivationBuilder {
    private static final int TAIL_LINES = 25;

    /** Hears about builds for people: "building …", "built … (log …)", warnings. */
    @FunctionalInterface
    public interface Progress extends Consumer<String> {
        Progress NONE = s -> { };
    }

    private final LocalStore store;
    private final SigningKey signer;
    private final Sandbox sandbox;
    private final BuildLogs logs;
    private final Progress progress;
    private final String system;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, Derivation> parsed = new ConcurrentHashMap<>();

    public DerivationBuilder(LocalStore store, SigningKey signer, Sandbox sandbox, Progress progress) {
        this.store = store;
        this.signer = signer;
        this.sandbox = sandbox;
        this.logs = BuildLogs.of(store);
        this.progress = progress;
        this.system = currentSystem();
    }

    public BuildLogs logs() {
        return logs;
    }

    /** The derivation at {@code drvPath}, read from {@code texts} (the evaluation's .drv files). */
    public Derivation derivation(String drvPath, Function<String, String> texts) {
        return parsed.computeIfAbsent(drvPath, p -> {
            String aterm = texts.apply(p);
            if (aterm == null) {
                throw new ConfigException(p + ": derivation not known to this evaluation");
            }
            return Derivation.parse(aterm, p);
        });
    }

    /**
     * Makes every output of {@code drvPath} valid (building its input derivations first) and returns
     * them by output name.
     */
    public Map<String, StorePath> realise(String drvPath, Function<String, String> texts) throws IOException {
        Derivation d = derivation(drvPath, texts);
        Map<String, StorePath> outputs = new LinkedHashMap<>();
        d.outputs().forEach((name, o) -> outputs.put(name, StorePath.parse(store.storeDir(), o.path())));
        if (allValid(outputs.values())) {
            return outputs;
        }
        for (String input : d.inputDrvs().keySet()) {
            realise(input, texts);
        }
        synchronized (locks.computeIfAbsent(drvPath, k -> new Object())) {
            if (!allValid(outputs.values())) {
                build(drvPath, d, outputs);
            }
        }
        return outputs;
    }

    private boolean allValid(Iterable<StorePath> paths) {
        for (StorePath p : paths) {
            if (!store.isValid(p)) {
                return false;
            }
        }
        return true;
    }

    private void build(String drvPath, Derivation d, Map<String, StorePath> outputs) throws IOException {
        if (d.builder().equals(BuiltinFetchurl.BUILDER)) {
            fetch(drvPath, d, outputs);
            return;
        }
        if (d.builder().startsWith("builtin:")) {
            throw new DerivationFailedException(drvPath, "cannot build " + drvPath + ": the builder '" + d.builder()
                    + "' is not supported (add the file to the store, or give the derivation a builder program)", null);
        }
        if (!d.platform().equals(system)) {
            throw new DerivationFailedException(drvPath, "cannot build " + drvPath + ": it needs a '" + d.platform()
                    + "' machine and this one is '" + system + "'", null);
        }
        if (sandbox instanceof Sandbox.Unsandboxed) {
            for (StorePath out : outputs.values()) {
                if (!store.physical(out).toString().equals(out.absolute())) {
                    throw new DerivationFailedException(drvPath, "cannot build " + drvPath + " without a sandbox: the store is not at "
                            + store.storeDir().path() + " on this machine (it is under " + store.physicalRoot()
                            + "), so the builder could not write " + out.absolute() + "; install bubblewrap", null);
                }
            }
        }
        Set<StorePath> inputs = inputClosure(drvPath, d);
        Path work = Files.createTempDirectory("flotilla-drv-");
        Path log = logs.file(drvPath);
        try {
            Path buildDir = Files.createDirectories(work.resolve("build"));
            Path outDir = Files.createDirectories(work.resolve("store"));
            Map<Path, String> bound = new TreeMap<>();
            for (StorePath p : inputs) {
                bound.put(store.physical(p), p.absolute());
            }
            List<String> command = new ArrayList<>();
            command.add(d.builder());
            command.addAll(d.args());
            Sandbox.Job job = new Sandbox.Job(command, Map.of(), buildDir, store.storeDir().path(), outDir, bound);
            job = new Sandbox.Job(command, environment(d, sandbox.buildTop(job)), buildDir, store.storeDir().path(), outDir, bound);
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
            Files.createFile(log);
            progress.accept("building " + drvPath);
            int code = run(job, log, drvPath);
            if (code != 0) {
                throw failure(drvPath, "builder for '" + drvPath + "' failed with exit code " + code, log);
            }
            Map<StorePath, Path> produced = new LinkedHashMap<>();
            for (Map.Entry<String, StorePath> e : outputs.entrySet()) {
                Path p = sandbox.produced(job, e.getValue().absolute(), store.physical(e.getValue()));
                if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw failure(drvPath, "builder for '" + drvPath + "' failed to produce output '" + e.getKey() + "' ("
                            + e.getValue().absolute() + ")", log);
                }
                produced.put(e.getValue(), p);
            }
            register(drvPath, d, produced, inputs, log, work);
            progress.accept("built " + drvPath + " (log: " + log + ")");
        } finally {
            if (sandbox instanceof Sandbox.Unsandboxed) {
                for (StorePath out : outputs.values()) {
                    if (!store.isValid(out)) {
                        FsUtil.deleteTree(store.physical(out));
                    }
                }
            }
            FsUtil.deleteQuietly(work, null);
        }
    }

    /** {@code builtin:fetchurl}: a download, allowed only where the declared hash decides what it may be. */
    private void fetch(String drvPath, Derivation d, Map<String, StorePath> outputs) throws IOException {
        Derivation.Output out = d.outputs().get("out");
        if (d.outputs().size() != 1 || out == null || !out.fixed()) {
            throw new DerivationFailedException(drvPath, "cannot build " + drvPath + ": '" + BuiltinFetchurl.BUILDER
                    + "' is only allowed in a fixed-output derivation with the single output 'out'", null);
        }
        Path work = Files.createTempDirectory("flotilla-drv-");
        Path log = logs.file(drvPath);
        try {
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
            Files.createFile(log);
            progress.accept("building " + drvPath);
            Path file = work.resolve("out");
            try {
                BuiltinFetchurl.fetch(d, file, log);
            } catch (IOException e) {
                java.nio.file.Files.writeString(log, e.getMessage() + "\n", java.nio.file.StandardOpenOption.APPEND);
                throw failure(drvPath, "builder for '" + drvPath + "' failed: " + e.getMessage(), log);
            }
            register(drvPath, d, Map.of(outputs.get("out"), file), Set.of(), log, work);
            progress.accept("built " + drvPath + " (log: " + log + ")");
        } finally {
            FsUtil.deleteQuietly(work, null);
        }
    }

    private int run(Sandbox.Job job, Path log, String drvPath) throws IOException {
        Process p = sandbox.start(job, log);
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DerivationFailedException(drvPath, "build of " + drvPath + " interrupted", log);
        }
    }

    /** The derivation's environment, plus what Nix always sets; nothing comes from this process. */
    static Map<String, String> environment(Derivation d, String buildTop) {
        Map<String, String> env = new TreeMap<>(d.env());
        env.put("HOME", "/homeless-shelter");
        env.put("PATH", "/path-not-set");
        env.put("NIX_BUILD_TOP", buildTop);
        env.put("TMPDIR", buildTop);
        env.put("TEMPDIR", buildTop);
        env.put("TMP", buildTop);
        env.put("TEMP", buildTop);
        env.put("PWD", buildTop);
        env.put("NIX_BUILD_CORES", "1");
        env.put("NIX_LOG_FD", "2");
        env.put("TERM", "xterm-256color");
        return env;
    }

    private Set<StorePath> inputClosure(String drvPath, Derivation d) throws IOException {
        Set<StorePath> direct = new TreeSet<>();
        for (String src : d.inputSrcs()) {
            StorePath p = StorePath.parse(store.storeDir(), src);
            if (!p.name().endsWith(".drv")) {
                direct.add(requireValid(drvPath, p));
            }
        }
        for (Map.Entry<String, java.util.SortedSet<String>> e : d.inputDrvs().entrySet()) {
            Derivation input = parsed.get(e.getKey());
            for (String out : e.getValue()) {
                Derivation.Output o = input == null ? null : input.outputs().get(out);
                if (o == null) {
                    throw new DerivationFailedException(drvPath, drvPath + ": input " + e.getKey() + " has no output '" + out + "'", null);
                }
                direct.add(requireValid(drvPath, StorePath.parse(store.storeDir(), o.path())));
            }
        }
        return store.closure(direct);
    }

    private StorePath requireValid(String drvPath, StorePath p) {
        if (!store.isValid(p)) {
            throw new DerivationFailedException(drvPath, "cannot build " + drvPath + ": its input " + p.absolute() + " is not in the store", null);
        }
        return p;
    }

    /** Registers the outputs, those referenced by a sibling first. */
    private void register(String drvPath, Derivation d, Map<StorePath, Path> produced, Set<StorePath> inputs, Path log, Path work)
            throws IOException {
        Set<StorePath> candidates = new TreeSet<>(inputs);
        candidates.addAll(produced.keySet());
        Map<StorePath, Set<StorePath>> refs = new TreeMap<>();
        for (Map.Entry<StorePath, Path> e : produced.entrySet()) {
            refs.put(e.getKey(), ReferenceScanner.scan(e.getValue(), candidates));
        }
        for (Map.Entry<String, Derivation.Output> o : d.outputs().entrySet()) {
            if (o.getValue().fixed()) {
                StorePath p = StorePath.parse(store.storeDir(), o.getValue().path());
                checkFixed(drvPath, o.getKey(), o.getValue(), produced.get(p), log);
                if (!refs.get(p).isEmpty()) {
                    throw failure(drvPath, "the fixed output '" + o.getKey() + "' of " + drvPath + " refers to other store paths "
                            + refs.get(p).stream().map(StorePath::absolute).toList(), log);
                }
            }
        }
        StorePath deriver = StorePath.parse(store.storeDir(), drvPath);
        Set<StorePath> done = new TreeSet<>();
        while (done.size() < produced.size()) {
            boolean progressMade = false;
            for (Map.Entry<StorePath, Path> e : produced.entrySet()) {
                StorePath p = e.getKey();
                boolean ready = refs.get(p).stream().allMatch(r -> r.equals(p) || done.contains(r) || !produced.containsKey(r));
                if (!done.contains(p) && ready) {
                    add(p, e.getValue(), refs.get(p), deriver, work.resolve("nar-" + p.hashPart()));
                    done.add(p);
                    progressMade = true;
                }
            }
            if (!progressMade) {
                throw failure(drvPath, "the outputs of " + drvPath + " refer to each other in a cycle", log);
            }
        }
    }

    private void add(StorePath path, Path content, Set<StorePath> references, StorePath deriver, Path nar) throws IOException {
        NarSummary summary = NarWriter.summarize(content);
        PathInfo info = new PathInfo(path, summary.narHash(), summary.narSize(), references, deriver, Set.of(), null);
        if (signer != null) {
            info = info.signedBy(signer);
        }
        try (OutputStream out = Files.newOutputStream(nar)) {
            NarWriter.dump(content, out);
        }
        try (InputStream in = Files.newInputStream(nar)) {
            // The NAR was just written from what the builder made: there is no one else to trust.
            store.importNar(info, in, null);
        }
    }

    private void checkFixed(String drvPath, String name, Derivation.Output o, Path content, Path log) throws IOException {
        boolean recursive = o.hashAlgo().startsWith("r:");
        String algo = recursive ? o.hashAlgo().substring(2) : o.hashAlgo();
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(switch (algo) {
                case "md5" -> "MD5";
                case "sha1" -> "SHA-1";
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw failure(drvPath, drvPath + ": unknown hash algorithm '" + algo + "'", log);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (recursive) {
            try (OutputStream out = new java.security.DigestOutputStream(OutputStream.nullOutputStream(), md)) {
                NarWriter.dump(content, out);
            }
        } else if (Files.isRegularFile(content, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            md.update(Files.readAllBytes(content));
        } else {
            throw failure(drvPath, "the flat fixed output '" + name + "' of " + drvPath + " is not a regular file", log);
        }
        String got = HexFormat.of().formatHex(md.digest());
        if (!got.equals(o.hash())) {
            throw failure(drvPath, "hash mismatch in fixed-output derivation '" + drvPath + "': wanted " + algo + ":" + o.hash()
                    + ", got " + algo + ":" + got, log);
        }
    }

    private static DerivationFailedException failure(String drvPath, String what, Path log) throws IOException {
        List<String> tail = BuildLogs.tail(log, TAIL_LINES);
        StringBuilder m = new StringBuilder(what);
        if (!tail.isEmpty()) {
            m.append("; last ").append(tail.size()).append(" log lines:");
            tail.forEach(l -> m.append("\n  > ").append(l));
            m.append('\n');
        }
        m.append(tail.isEmpty() ? "; " : "").append("full log: ").append(log);
        return new DerivationFailedException(drvPath, m.toString(), log);
    }

    static String currentSystem() {
        String arch = System.getProperty("os.arch", "x86_64");
        arch = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return arch + "-" + (System.getProperty("os.name", "Linux").toLowerCase(java.util.Locale.ROOT).contains("mac") ? "darwin" : "linux");
    }
}
