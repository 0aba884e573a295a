package dev.flotilla.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The JVM options an agent runs with: one list for the bundle's launcher ({@code bin/flotilla-agent}
 * spells the same options; {@code AgentJvmTest} keeps the two equal), local fleets, tests and benchmarks,
 * so that what is measured is what ships.
 */
public final class AgentJvm {

    /** Where the directives live in this jar, and beside the launcher in the bundle ({@code lib/}). */
    public static final String DIRECTIVES_RESOURCE = "/dev/flotilla/agent/jit-directives.json";

    /**
     * Footprint: a small serial heap that gives memory back, small stacks and code cache, no perf-data
     * file, the native heap trimmed after bursts, compilation thresholds four times the default so that
     * code run only while starting stays interpreted, and string and symbol tables that start small and grow
     * when needed (the defaults, 512 and 256 KB, are written whole at start) (agent/README.md, "Recommended
     * JVM flags").
     */
    public static final List<String> FOOTPRINT = List.of("-Xmx24m", "-Xms4m", "-Xss256k", "-XX:+UseSerialGC",
            "-XX:ReservedCodeCacheSize=12m", "-XX:-UsePerfData", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
            "-XX:TrimNativeHeapInterval=1000", "-XX:CompileThresholdScaling=4", "-XX:StringTableSize=4096",
            "-XX:+UnlockExperimentalVMOptions", "-XX:SymbolTableSize=4096", "--enable-native-access=ALL-UNNAMED");

    private AgentJvm() {
    }

    /** Prints {@link #flags()} one per line (with {@code --jit}, only {@link #jit}), for scripts that start agents. */
    public static void main(String[] args) {
        List<String> flags = args.length > 0 && args[0].equals("--jit") ? jit(directivesFile()) : flags();
        flags.forEach(System.out::println);
    }

    /** {@link #FOOTPRINT} and {@link #jit}, with the directives written out of this jar once per content. */
    public static List<String> flags() {
        List<String> flags = new ArrayList<>(FOOTPRINT);
        flags.addAll(jit(directivesFile()));
        return List.copyOf(flags);
    }

    /**
     * C1 for the program and C2 for the ciphers and digests only, as {@code directives} says (see its
     * comments): a copy runs at C2's speed without C2 compiling, and the agent keeping in memory, the rest.
     */
    public static List<String> jit(Path directives) {
        return List.of("-XX:CICompilerCount=2", "-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput",
                "-XX:CompilerDirectivesFile=" + directives);
    }

    /**
     * The directives as a file (the JVM reads them from a path): under the temporary directory, named by a
     * hash of their content, written once and renamed into place so a concurrent start never reads half.
     */
    public static Path directivesFile() {
        try (InputStream in = AgentJvm.class.getResourceAsStream(DIRECTIVES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DIRECTIVES_RESOURCE + " is missing from the agent's jar");
            }
            byte[] content = in.readAllBytes();
            String name = "flotilla-jit-" + HexFormat.of().toHexDigits(java.util.Arrays.hashCode(content)) + ".json";
            Path file = Path.of(System.getProperty("java.io.tmpdir"), name);
            if (!Files.isRegularFile(file) || Files.size(file) != content.length) {
                Path tmp = Files.createTempFile(file.getParent(), name, ".tmp");
                Files.write(tmp, content);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent's JIT directives: " + e.getMessage(), e);
        }
    }
}
