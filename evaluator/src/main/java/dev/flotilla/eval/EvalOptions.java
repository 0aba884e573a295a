package dev.flotilla.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Settings of an {@link Evaluator}.
 *
 * @param storeDir      logical store directory embedded in store paths
 * @param searchPath    {@code -I} / NIX_PATH entries, in lookup order
 * @param getEnv        what {@code builtins.getEnv} sees (tests inject a fixed map)
 * @param currentSystem {@code builtins.currentSystem}
 * @param homeDir       expansion of {@code ~/} in path literals
 * @param traceSink     where {@code builtins.trace} writes (stderr by default)
 * @param sourceStore   where added sources and texts go ({@link SourceStore#NONE}: paths are computed only)
 * @param inputs        told about every file the evaluation reads ({@link InputListener#NONE} by default)
 */
public record EvalOptions(String storeDir, List<SearchPathEntry> searchPath, Function<String, String> getEnv,
                          String currentSystem, String homeDir, java.io.PrintStream traceSink, SourceStore sourceStore,
                          InputListener inputs) {

    public static final String DEFAULT_STORE_DIR = "/flotilla/store";

    /** {@code prefix=path} (prefix may be empty: {@code -I path}). */
    public record SearchPathEntry(String prefix, String path) {
        public static SearchPathEntry parse(String spec) {
            int eq = spec.indexOf('=');
            return eq < 0 ? new SearchPathEntry("", spec) : new SearchPathEntry(spec.substring(0, eq), spec.substring(eq + 1));
        }
    }

    public EvalOptions {
        if (storeDir == null || !storeDir.startsWith("/")) throw new IllegalArgumentException("storeDir must be absolute: " + storeDir);
        storeDir = storeDir.length() > 1 && storeDir.endsWith("/") ? storeDir.substring(0, storeDir.length() - 1) : storeDir;
        searchPath = List.copyOf(searchPath);
        if (getEnv == null) getEnv = System::getenv;
        if (currentSystem == null) currentSystem = defaultSystem();
        if (homeDir == null) homeDir = System.getProperty("user.home", "/");
        if (traceSink == null) traceSink = System.err;
        if (sourceStore == null) sourceStore = SourceStore.NONE;
        if (inputs == null) inputs = InputListener.NONE;
    }

    /** Without an input listener (the signature from before {@link InputListener} existed). */
    public EvalOptions(String storeDir, List<SearchPathEntry> searchPath, Function<String, String> getEnv,
                       String currentSystem, String homeDir, java.io.PrintStream traceSink, SourceStore sourceStore) {
        this(storeDir, searchPath, getEnv, currentSystem, homeDir, traceSink, sourceStore, null);
    }

    /** Without a store hook (the signature from before {@link SourceStore} existed). */
    public EvalOptions(String storeDir, List<SearchPathEntry> searchPath, Function<String, String> getEnv,
                       String currentSystem, String homeDir, java.io.PrintStream traceSink) {
        this(storeDir, searchPath, getEnv, currentSystem, homeDir, traceSink, null, null);
    }

    public static EvalOptions defaults() {
        return new EvalOptions(DEFAULT_STORE_DIR, List.of(), null, null, null, null, null, null);
    }

    public EvalOptions withStoreDir(String dir) {
        return new EvalOptions(dir, searchPath, getEnv, currentSystem, homeDir, traceSink, sourceStore, inputs);
    }

    public EvalOptions withSearchPath(List<SearchPathEntry> entries) {
        return new EvalOptions(storeDir, entries, getEnv, currentSystem, homeDir, traceSink, sourceStore, inputs);
    }

    public EvalOptions withEnv(Map<String, String> env) {
        return new EvalOptions(storeDir, searchPath, env::get, currentSystem, homeDir, traceSink, sourceStore, inputs);
    }

    public EvalOptions withTraceSink(java.io.PrintStream sink) {
        return new EvalOptions(storeDir, searchPath, getEnv, currentSystem, homeDir, sink, sourceStore, inputs);
    }

    public EvalOptions withSourceStore(SourceStore store) {
        return new EvalOptions(storeDir, searchPath, getEnv, currentSystem, homeDir, traceSink, store, inputs);
    }

    public EvalOptions withInputs(InputListener listener) {
        return new EvalOptions(storeDir, searchPath, getEnv, currentSystem, homeDir, traceSink, sourceStore, listener);
    }

    /** Entries of a NIX_PATH-style string ({@code a:b=c}), ignoring empty ones. */
    public static List<SearchPathEntry> parseNixPath(String nixPath) {
        List<SearchPathEntry> out = new ArrayList<>();
        if (nixPath == null) return out;
        for (String part : nixPath.split(":")) {
            if (!part.isEmpty()) out.add(SearchPathEntry.parse(part));
        }
        return out;
    }

    private static String defaultSystem() {
        String arch = System.getProperty("os.arch", "x86_64");
        arch = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        String os = System.getProperty("os.name", "Linux").toLowerCase().contains("mac") ? "darwin" : "linux";
        return arch + "-" + os;
    }
}
