package dev.flotilla.store.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Turns a host's {@link SystemConfig} into its system toplevel store path:
 * {@code etc/<name>} files plus {@code manifest.json}, added to the store as one signed path.
 * The output depends only on the configuration (no time stamps, no build directory), so the same
 * configuration gives the same path on every machine.
 */
public final class SystemBuilder {

    public static final int MANIFEST_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final LocalStore store;
    private final SigningKey signer;

    public SystemBuilder(LocalStore store, SigningKey signer) {
        this.store = store;
        this.signer = signer;
    }

    public static String toplevelName(String hostName) {
        return "flotilla-system-" + hostName;
    }

    public PathInfo build(String hostName, SystemConfig config) throws IOException {
        Path work = Files.createTempDirectory("flotilla-build-");
        try {
            Path root = work.resolve("system");
            Files.createDirectories(root.resolve("etc"));
            for (SystemConfig.EtcEntry e : config.etc().values()) {
                Path file = root.resolve("etc").resolve(e.name());
                Files.createDirectories(file.getParent());
                Files.write(file, e.content());
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(e.executable() ? "r-xr-xr-x" : "r--r--r--"));
            }
            Files.write(root.resolve("manifest.json"), manifest(hostName, config));
            return store.addTree(root, toplevelName(hostName), Set.of(), signer);
        } finally {
            deleteTree(work);
        }
    }

    static byte[] manifest(String hostName, SystemConfig config) throws IOException {
        Map<String, Object> etc = new TreeMap<>();
        config.etc().forEach((name, e) -> etc.put(name, Map.of("mode", String.format("%04o", e.mode()))));
        Map<String, Object> checks = new TreeMap<>();
        config.healthChecks().forEach((name, c) -> checks.put(name, c.toManifest()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", MANIFEST_VERSION);
        m.put("host", hostName);
        m.put("etc", etc);
        m.put("healthChecks", checks);
        return (JSON.writeValueAsString(m) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    p.toFile().setWritable(true);
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // A leftover temporary directory is harmless; the store path itself is already complete or absent.
        }
    }
}
