package dev.flotilla.store.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a builder runs. {@link Bubblewrap}: in new namespaces (no network, its own pids, users,
 * hostname), seeing only the host's tool directories (read-only, like Nix's {@code sandbox-paths}),
 * its inputs' closure (read-only, at their logical store paths), a private {@code /build} and an
 * empty store directory where it creates its outputs. {@link Unsandboxed}: a plain child process
 * with the same clean environment, which can read and reach everything this user can.
 */
public sealed interface Sandbox {

    /** {@code --sandbox=auto|required|off}. */
    enum Mode {
        /** Bubblewrap when installed, else unsandboxed with a loud warning. */
        AUTO,
        /** Bubblewrap or no build at all. */
        REQUIRED,
        /** Never sandbox (builders see the whole machine). */
        OFF;

        public static Mode parse(String s) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("--sandbox: expected auto, required or off, got '" + s + "'");
        }
    }

    /** The logical directory builders see as their build directory (NIX_BUILD_TOP, TMPDIR, cwd). */
    String BUILD_TOP = "/build";
    /** Host directories a sandboxed builder sees read-only (its shell and tools come from there). */
    List<String> HOST_TOOLS = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64");
    List<String> BWRAP_LOCATIONS = List.of("/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap");

    /**
     * What to run.
     *
     * @param command  builder and arguments
     * @param env      the whole environment (nothing is inherited)
     * @param buildDir physical private build directory (empty)
     * @param storeDir the logical store directory
     * @param outDir   physical directory standing for the store directory, where outputs appear
     *                 (only used by {@link Bubblewrap})
     * @param inputs   physical location → logical store path of every input path (closure)
     */
    record Job(List<String> command, Map<String, String> env, Path buildDir, String storeDir, Path outDir,
               Map<Path, String> inputs) {
        public Job {
            command = List.copyOf(command);
            env = Map.copyOf(env);
            inputs = Map.copyOf(inputs);
        }
    }

    /** What {@code BUILD_TOP} is for this sandbox, as the builder sees it. */
    String buildTop(Job job);

    /** Where the builder's output {@code logicalPath} is found once it finished. */
    Path produced(Job job, String logicalPath, Path physicalInStore);

    /** Starts the builder with stdout and stderr merged into {@code log}. */
    Process start(Job job, Path log) throws IOException;

    /** Picks the sandbox for {@code mode}; {@code warn} hears why a build is not sandboxed. */
    static Sandbox choose(Mode mode, Consumer<String> warn) {
        return choose(mode, warn, BWRAP_LOCATIONS);
    }

    /** {@link #choose(Mode, Consumer)} looking for bwrap in {@code locations} only. */
    static Sandbox choose(Mode mode, Consumer<String> warn, List<String> locations) {
        Optional<Path> bwrap = locations.stream().map(Path::of).filter(Files::isExecutable).findFirst();
        return switch (mode) {
            case OFF -> new Unsandboxed();
            case REQUIRED -> new Bubblewrap(bwrap.orElseThrow(() -> new ConfigException(
                    "--sandbox=required: bubblewrap (bwrap) is not installed (looked in " + locations + "; apt install bubblewrap)")));
            case AUTO -> bwrap.<Sandbox>map(Bubblewrap::new).orElseGet(() -> {
                warn.accept("WARNING: bubblewrap (bwrap) is not installed: derivation builders run WITHOUT a sandbox,"
                        + " with network access and every file this user can read (apt install bubblewrap, or --sandbox=required to refuse)");
                return new Unsandboxed();
            });
        };
    }

    record Bubblewrap(Path bwrap) implements Sandbox {
        @Override
        public String buildTop(Job job) {
            return BUILD_TOP;
        }

        @Override
        public Path produced(Job job, String logicalPath, Path physicalInStore) {
            return job.outDir().resolve(logicalPath.substring(job.storeDir().length() + 1));
        }

        @Override
        public Process start(Job job, Path log) throws IOException {
            Path etc = job.buildDir().resolveSibling("etc");
            Files.createDirectories(etc);
            // Builders that ask who they are get the answer Nix's sandbox gives.
            Files.writeString(etc.resolve("passwd"), "root:x:0:0:Nix build user:/build:/noshell\n"
                    + "nixbld:x:1000:100:Nix build user:/build:/noshell\nnobody:x:65534:65534:Nobody:/:/noshell\n");
            Files.writeString(etc.resolve("group"), "root:x:0:\nnixbld:!:100:\nnogroup:x:65534:\n");
            Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost\n");
            List<String> cmd = new ArrayList<>(List.of(bwrap.toString(),
                    "--unshare-all", "--die-with-parent", "--new-session",
                    "--uid", "1000", "--gid", "100", "--hostname", "localhost"));
            for (String d : HOST_TOOLS) {
                Path p = Path.of(d);
                if (Files.isSymbolicLink(p)) {
                    cmd.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), d));
                } else if (Files.isDirectory(p)) {
                    cmd.addAll(List.of("--ro-bind", d, d));
                }
            }
            cmd.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--ro-bind", etc.toString(), "/etc",
                    "--bind", job.buildDir().toString(), BUILD_TOP,
                    "--bind", job.outDir().toString(), job.storeDir()));
            job.inputs().entrySet().stream().sorted(Map.Entry.comparingByValue())
                    .forEach(e -> cmd.addAll(List.of("--ro-bind", e.getKey().toString(), e.getValue())));
            cmd.addAll(List.of("--chdir", BUILD_TOP, "--"));
            cmd.addAll(job.command());
            return launch(cmd, job.env(), job.buildDir(), log);
        }
    }

    record Unsandboxed() implements Sandbox {
        @Override
        public String buildTop(Job job) {
            return job.buildDir().toString();
        }

        @Override
        public Path produced(Job job, String logicalPath, Path physicalInStore) {
            return physicalInStore;
        }

        @Override
        public Process start(Job job, Path log) throws IOException {
            return launch(job.command(), job.env(), job.buildDir(), log);
        }
    }

    private static Process launch(List<String> cmd, Map<String, String> env, Path cwd, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }
}
