package dev.flotilla.store.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flotilla.store.Hash;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.StorePaths;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Derivation builders in the bubblewrap sandbox: clean environment, declared inputs only, no network, logs. */
class DerivationBuilderTest {
    static final SigningKey KEY = SigningKey.fromSeed("test-1", new byte[32]);

    @TempDir
    Path tmp;
    LocalStore store;
    final Map<String, String> drvs = new HashMap<>();
    final List<String> progress = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap is installed");
        store = newStore("a");
    }

    LocalStore newStore(String name) throws IOException {
        Path root = tmp.resolve(name);
        Files.createDirectories(root);
        return new LocalStore(root, StoreDir.DEFAULT);
    }

    DerivationBuilder builder(LocalStore s) {
        return new DerivationBuilder(s, KEY, Sandbox.choose(Sandbox.Mode.REQUIRED, progress::add), progress::add);
    }

    /** A .drv (its ATerm registered under a made-up path) running {@code script} with /bin/bash. */
    String drv(String name, String script, Map<String, String> env, Set<String> srcs, Map<String, String> inputDrvs) {
        String out = StorePaths.make(StoreDir.DEFAULT, "output:out", Hash.sha256(name + script), name).absolute();
        StringBuilder b = new StringBuilder("Derive([(\"out\",\"" + out + "\",\"\",\"\")],[");
        b.append(inputDrvs.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "(\"" + e.getKey() + "\",[\"" + e.getValue() + "\"])").collect(Collectors.joining(",")));
        b.append("],[").append(srcs.stream().sorted().map(s -> "\"" + s + "\"").collect(Collectors.joining(",")));
        b.append("],\"").append(DerivationBuilder.currentSystem()).append("\",\"/bin/bash\",[\"-c\",\"")
                .append(script.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append("\"],[");
        Map<String, String> all = new java.util.TreeMap<>(env);
        all.put("name", name);
        all.put("out", out);
        b.append(all.entrySet().stream().map(e -> "(\"" + e.getKey() + "\",\"" + e.getValue() + "\")").collect(Collectors.joining(",")));
        b.append("])");
        String path = StorePaths.make(StoreDir.DEFAULT, "text", Hash.sha256(b.toString()), name + ".drv").absolute();
        drvs.put(path, b.toString());
        return path;
    }

    String drv(String name, String script) {
        return drv(name, script, Map.of(), Set.of(), Map.of());
    }

    StorePath out(String drvPath) {
        return StorePath.parse(StoreDir.DEFAULT, Derivation.parse(drvs.get(drvPath), drvPath).outputs().get("out").path());
    }

    @Test
    void aBuilderSeesOnlyItsInputsAndACleanEnvironmentAndItsOutputIsRegistered() throws IOException {
        StorePath dep = store.addText("dep.txt", "from the input\n", Set.of(), KEY).path();
        StorePath unrelated = store.addText("unrelated.txt", "not declared\n", Set.of(), KEY).path();
        String d = drv("hello", """
                export PATH=/usr/bin:/bin
                mkdir -p $out/bin
                cp $dep $out/dep-copy
                echo "$dep" > $out/uses-dep
                env | sort > $out/env
                pwd > $out/pwd
                test -e %s && echo visible > $out/unrelated || true
                echo 'building hello, to stdout'
                echo 'and to stderr' >&2
                """.formatted(unrelated.absolute()), Map.of("dep", dep.absolute()), Set.of(dep.absolute()), Map.of());

        StorePath out = builder(store).realise(d, drvs::get).get("out");

        PathInfo info = store.requireInfo(out);
        assertEquals(Set.of(dep, out), info.references(), "found by scanning: the input and itself (env names $out), not the unrelated path");
        assertTrue(info.signatures().stream().anyMatch(s -> KEY.publicKey().verify(info.fingerprint(), s)));
        assertEquals(StorePath.parse(StoreDir.DEFAULT, d), info.deriver());
        Path o = store.physical(out);
        assertEquals("from the input\n", Files.readString(o.resolve("dep-copy")));
        assertFalse(Files.exists(o.resolve("unrelated")), "a valid store path that is not an input is invisible");
        assertFalse(Files.getPosixFilePermissions(o.resolve("env")).contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE),
                "outputs are read-only");
        List<String> env = Files.readAllLines(o.resolve("env"));
        assertTrue(env.contains("HOME=/homeless-shelter"), env.toString());
        assertTrue(env.contains("NIX_BUILD_TOP=/build") && env.contains("TMPDIR=/build"), env.toString());
        assertTrue(env.contains("out=" + out.absolute()), env.toString());
        assertTrue(env.stream().noneMatch(l -> l.startsWith("JAVA_HOME=") || l.startsWith("USER=") || l.startsWith("MAVEN")),
                "nothing of the caller's environment: " + env);
        assertEquals("/build\n", Files.readString(o.resolve("pwd")));

        String log = Files.readString(BuildLogs.of(store).file(d));
        assertTrue(log.contains("building hello, to stdout\n") && log.contains("and to stderr\n"), log);
        assertTrue(progress.contains("built " + d + " (log: " + BuildLogs.of(store).file(d) + ")"), progress.toString());
        assertEquals(List.of(BuildLogs.of(store).file(d)), BuildLogs.of(store).find("hello"));
    }

    @Test
    void noNetworkInsideTheSandbox() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String d = drv("net", "echo hi > /dev/tcp/127.0.0.1/" + server.getLocalPort() + " && touch $out");
            DerivationFailedException e = assertThrows(DerivationFailedException.class, () -> builder(store).realise(d, drvs::get));
            assertTrue(e.getMessage().startsWith("builder for '" + d + "' failed with exit code 1"), e.getMessage());
            assertTrue(e.getMessage().contains("/dev/tcp/127.0.0.1/" + server.getLocalPort()), "the log's tail: " + e.getMessage());
            assertFalse(store.isValid(out(d)));
        }
    }

    @Test
    void filesOutsideTheInputsAndTheCallersHomeCannotBeRead() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "do not read\n");
        String outside = drv("outside", "/usr/bin/cat " + secret + " > $out");
        assertThrows(DerivationFailedException.class, () -> builder(store).realise(outside, drvs::get));
        String home = drv("home", "/usr/bin/ls " + System.getProperty("user.home") + " > $out");
        DerivationFailedException e = assertThrows(DerivationFailedException.class, () -> builder(store).realise(home, drvs::get));
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
        String etc = drv("etc", "/usr/bin/cat /etc/hostname > $out");
        assertThrows(DerivationFailedException.class, () -> builder(store).realise(etc, drvs::get));
        assertEquals(Set.of(), store.validPaths());
    }

    @Test
    void theOutputIsTheSameFromTwoBuildDirectoriesAndStores() throws IOException {
        String d = drv("same", "export PATH=/usr/bin; mkdir $out; pwd > $out/pwd; echo $TMPDIR $NIX_BUILD_TOP > $out/tmp;"
                + " id > $out/id; hostname > $out/host; ls / > $out/root");
        PathInfo a = store.requireInfo(builder(store).realise(d, drvs::get).get("out"));
        LocalStore other = newStore("b");
        PathInfo b = other.requireInfo(builder(other).realise(d, drvs::get).get("out"));
        assertEquals(a.path(), b.path());
        assertEquals(a.narHash(), b.narHash(), "no trace of the build directory, user or host");
    }

    @Test
    void aFailingBuilderLeavesNothingInTheStoreAndItsLogTailIsReported() throws IOException {
        Set<StorePath> before = store.validPaths();
        String d = drv("broken", "export PATH=/usr/bin; mkdir $out; echo partial > $out/x; for i in $(seq 1 40); do echo line $i; done; echo oops >&2; exit 3");
        DerivationFailedException e = assertThrows(DerivationFailedException.class, () -> builder(store).realise(d, drvs::get));
        assertTrue(e.getMessage().startsWith("builder for '" + d + "' failed with exit code 3; last 25 log lines:\n"), e.getMessage());
        assertTrue(e.getMessage().contains("\n  > oops\n") && !e.getMessage().contains("line 15\n"), e.getMessage());
        assertTrue(e.getMessage().endsWith("full log: " + BuildLogs.of(store).file(d)), e.getMessage());
        assertEquals(before, store.validPaths());
        assertFalse(Files.exists(store.physical(out(d))));

        String missing = drv("lazy", "echo did nothing");
        DerivationFailedException m = assertThrows(DerivationFailedException.class, () -> builder(store).realise(missing, drvs::get));
        assertTrue(m.getMessage().startsWith("builder for '" + missing + "' failed to produce output 'out'"), m.getMessage());
    }

    @Test
    void inputDerivationsAreBuiltFirstAndValidOutputsNeverAgain() throws IOException {
        String lib = drv("lib", "echo library > $out");
        StorePath libOut = out(lib);
        String app = drv("app", "export PATH=/usr/bin; mkdir $out; cat $lib > $out/lib-copy; echo $lib > $out/link",
                Map.of("lib", libOut.absolute()), Set.of(), Map.of(lib, "out"));
        DerivationBuilder b = builder(store);
        StorePath appOut = b.realise(app, drvs::get).get("out");
        assertEquals(Set.of(libOut), store.requireInfo(appOut).references());
        assertEquals("library\n", Files.readString(store.physical(appOut).resolve("lib-copy")));
        assertEquals(List.of("building " + lib, "building " + app), progress.stream().filter(p -> p.startsWith("building")).toList());
        progress.clear();
        builder(store).realise(app, drvs::get);
        assertEquals(List.of(), progress, "nothing rebuilt");
    }

    @Test
    void unsandboxedBuildsRefuseAStoreAwayFromItsLogicalPlace() {
        String d = drv("plain", "echo > $out");
        DerivationBuilder b = new DerivationBuilder(store, KEY, new Sandbox.Unsandboxed(), progress::add);
        DerivationFailedException e = assertThrows(DerivationFailedException.class, () -> b.realise(d, drvs::get));
        assertTrue(e.getMessage().contains("without a sandbox: the store is not at /flotilla/store"), e.getMessage());
        assertEquals("--sandbox: expected auto, required or off, got 'maybe'",
                assertThrows(IllegalArgumentException.class, () -> Sandbox.Mode.parse("maybe")).getMessage());
    }

    @Test
    void withoutBubblewrapAutoWarnsLoudlyAndRequiredRefuses() {
        List<String> nowhere = List.of(tmp.resolve("no-bwrap").toString());
        List<String> warnings = new ArrayList<>();
        assertTrue(Sandbox.choose(Sandbox.Mode.AUTO, warnings::add, nowhere) instanceof Sandbox.Unsandboxed);
        assertEquals(1, warnings.size());
        assertTrue(warnings.getFirst().startsWith("WARNING: bubblewrap (bwrap) is not installed: derivation builders run WITHOUT a sandbox"),
                warnings.getFirst());
        ConfigException e = assertThrows(ConfigException.class, () -> Sandbox.choose(Sandbox.Mode.REQUIRED, warnings::add, nowhere));
        assertEquals("--sandbox=required: bubblewrap (bwrap) is not installed (looked in " + nowhere + "; apt install bubblewrap)", e.getMessage());
        assertTrue(Sandbox.choose(Sandbox.Mode.OFF, warnings::add) instanceof Sandbox.Unsandboxed);
        assertTrue(Sandbox.choose(Sandbox.Mode.AUTO, warnings::add) instanceof Sandbox.Bubblewrap);
        assertEquals(1, warnings.size(), "no warning when off was asked for, or bwrap is there");
    }

    @Test
    void badDerivationTextNamesTheFileAndOffset() {
        ConfigException e = assertThrows(ConfigException.class, () -> Derivation.parse("Derive([(\"out\",\"/x\"", "/s/x.drv"));
        assertEquals("/s/x.drv: not a derivation: expected ',' at offset 19", e.getMessage());
    }
}
