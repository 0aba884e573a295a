package dev.flotilla.cli.bootstrap;

import dev.flotilla.cli.bootstrap.BootstrapException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The agent bundle a bootstrap installs: the tarball {@code agent/src/main/dist/build-bundle.sh} makes
 * ({@code flotilla-agent/} with {@code runtime/}, {@code lib/}, {@code bin/}, {@code share/install.sh}).
 *
 * @param tarball the {@code .tar.gz}
 * @param arch    the machine it runs on ({@code uname -m}), from its name; empty when the name does not say
 * @param sha256  hex digest of the tarball: hosts record it, so an unchanged bundle is not sent again
 */
record AgentBundle(Path tarball, Optional<String> arch, String sha256, long size) {

    private static final Pattern NAME = Pattern.compile("flotilla-agent-(.+)-linux-([A-Za-z0-9_]+)\\.tar\\.gz");
    static final String SCRIPT = "agent/src/main/dist/build-bundle.sh";

    /** A bundle file given by the operator. */
    static AgentBundle of(Path tarball) throws BootstrapException, IOException {
        if (!Files.isRegularFile(tarball)) {
            throw new BootstrapException(Kind.INVALID_INPUT, tarball + ": agent bundle not found (expected the .tar.gz that "
                    + "agent/src/main/dist/build-bundle.sh makes)");
        }
        Matcher m = NAME.matcher(tarball.getFileName().toString());
        return new AgentBundle(tarball, m.matches() ? Optional.of(m.group(2)) : Optional.empty(), sha256(tarball), Files.size(tarball));
    }

    /**
     * The bundle built from this source tree for this machine's architecture: the one in
     * {@code agent/target/} while it is newer than the agent jar and the dist scripts, else a new one
     * (build-bundle.sh: jlink, about a minute; its output goes to {@code notices}).
     */
    static AgentBundle fromSourceTree(PrintStream notices) throws BootstrapException, IOException {
        Path repo = sourceTree().orElseThrow(() -> new BootstrapException(Kind.BUNDLE,
                "no agent bundle: pass --bundle FILE (made by " + SCRIPT + "), or run flotilla from its source tree"));
        Path target = repo.resolve("agent/target");
        String arch = localArch();
        Optional<Path> built = newest(target, "-linux-" + arch + ".tar.gz");
        if (built.isEmpty() || isStale(built.get(), repo)) {
            notices.println("building the agent bundle (" + SCRIPT + ": jlink runtime, about a minute)...");
            build(repo, notices);
            built = newest(target, "-linux-" + arch + ".tar.gz");
            if (built.isEmpty()) {
                throw new BootstrapException(Kind.BUNDLE, SCRIPT + " made no " + target + "/flotilla-agent-*-linux-" + arch + ".tar.gz");
            }
        }
        return of(built.get());
    }

    /** The machine's architecture as {@code uname -m} names it (the JDK says amd64 for x86_64). */
    static String localArch() {
        String a = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            default -> a;
        };
    }

    private static boolean isStale(Path tarball, Path repo) throws IOException {
        FileTime built = Files.getLastModifiedTime(tarball);
        List<Path> inputs = new ArrayList<>();
        try (Stream<Path> s = Files.list(repo.resolve("agent/target"))) {
            s.filter(p -> p.getFileName().toString().matches("flotilla-agent-.*\\.jar")).forEach(inputs::add);
        }
        try (Stream<Path> s = Files.list(repo.resolve("agent/src/main/dist"))) {
            s.forEach(inputs::add);
        }
        for (Path p : inputs) {
            if (Files.getLastModifiedTime(p).compareTo(built) > 0) {
                return true;
            }
        }
        return false;
    }

    private static void build(Path repo, PrintStream notices) throws BootstrapException, IOException {
        Path log = Files.createTempFile("flotilla-bundle", ".log");
        try {
            Process p = new ProcessBuilder("sh", repo.resolve(SCRIPT).toString()).directory(repo.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            int exit = p.waitFor();
            if (exit != 0) {
                List<String> lines = Files.readAllLines(log);
                throw new BootstrapException(Kind.BUNDLE, SCRIPT + " failed (exit " + exit + "); it said:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
            }
            Files.readAllLines(log).stream().filter(l -> l.startsWith("tarball: ")).forEach(notices::println);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the agent bundle", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The Flotilla source tree this CLI runs from (its classes or jar under it), else the working directory's. */
    static Optional<Path> sourceTree() {
        List<Path> starts = new ArrayList<>();
        try {
            starts.add(Path.of(AgentBundle.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (Exception e) {
            // No code location (unusual class loader): only the working directory is tried.
        }
        starts.add(Path.of("").toAbsolutePath());
        for (Path start : starts) {
            for (Path d = start.toAbsolutePath(); d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve(SCRIPT))) {
                    return Optional.of(d);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> newest(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("flotilla-agent-") && n.endsWith(suffix);
            }).max((a, b) -> {
                try {
                    return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
                } catch (IOException e) {
                    return 0;
                }
            });
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
