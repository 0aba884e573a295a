package dev.flotilla.deploy.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.deploy.Step;
import dev.flotilla.deploy.SystemSource;
import dev.flotilla.inventory.Host;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StorePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet folder end to end: examples/web-fleet built reproducibly, flotilla.lock and --locked, closure diffs. */
class FleetConfigTest {
    static final Path EXAMPLE = Path.of("../examples/web-fleet");
    static final SigningKey KEY = SigningKey.fromSeed("test-1", new byte[32]);

    @TempDir
    Path tmp;

    static Path copyFleet(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals(FleetLock.FILE)) {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    LocalStore store(String name) throws IOException {
        Path root = tmp.resolve(name);
        Files.createDirectories(root);
        return new LocalStore(root, StoreDir.DEFAULT);
    }

    static Map<String, StorePath> buildAll(Path fleet, LocalStore store) throws InterruptedException {
        try (FleetConfig f = FleetConfig.load(fleet)) {
            Map<String, StorePath> out = new TreeMap<>();
            for (FleetBuild.Result r : FleetBuild.run(f, f.inventory().hosts(), store, KEY, 2, x -> { })) {
                if (r instanceof FleetBuild.Result.Failed failed) {
                    throw failed.error();
                }
                out.put(r.host(), ((FleetBuild.Result.Built) r).toplevel().path());
            }
            return out;
        }
    }

    @Test
    void theExampleBuildsToIdenticalPathsTwiceAndFromTwoCheckouts() throws Exception {
        Path a = copyFleet(EXAMPLE, tmp.resolve("checkout-a/web-fleet"));
        Path b = copyFleet(EXAMPLE, tmp.resolve("elsewhere/b/fleet"));
        LocalStore s1 = store("store1");
        Map<String, StorePath> first = buildAll(a, s1);
        assertEquals(List.of("db-1", "web-1", "web-2", "web-3"), List.copyOf(first.keySet()));
        assertEquals(first, buildAll(a, s1), "a second build of the same checkout");
        assertEquals(first, buildAll(b, store("store2")), "another checkout, another store");
        assertEquals(first, buildAll(EXAMPLE, store("store3")), "the example in place");
        // The canary differs from its peers; web-2 and web-3 differ by their workers.
        assertFalse(first.get("web-1").hashPart().equals(first.get("web-2").hashPart()));
        String manifest = Files.readString(s1.physical(first.get("web-1")).resolve("manifest.json"));
        assertTrue(manifest.contains("\"url\" : \"http://127.0.0.1:8080/health\""), manifest);
        assertFalse(manifest.contains(tmp.toString()), "no build or checkout directory in the output");
    }

    @Test
    void theLockRecordsEveryInputReadAndLockedNamesTheOneThatChanged() throws Exception {
        Path fleet = copyFleet(EXAMPLE, tmp.resolve("fleet"));
        Path shared = tmp.resolve("shared/base.nix");
        Files.createDirectories(shared.getParent());
        Files.writeString(shared, "{ environment.etc.base.text = builtins.readFile ./motd.txt;"
                + " environment.etc.extra.text = if builtins.pathExists ./extra.txt then \"extra\" else \"none\"; }\n");
        Files.writeString(shared.resolveSibling("motd.txt"), "shared motd\n");
        Files.writeString(fleet.resolve("fleet.nix"), Files.readString(fleet.resolve("fleet.nix"))
                .replace("defaults = ./modules/common.nix;", "defaults = [ ./modules/common.nix ../shared/base.nix ];"));
        Files.writeString(fleet.resolve("modules/unused.nix"), "{ }\n");

        FleetException none = assertThrows(FleetException.class, () -> FleetConfig.load(fleet, FleetConfig.Options.defaults().withLocked(true)));
        assertEquals(FleetException.Kind.LOCKED, none.kind());
        assertTrue(none.getMessage().endsWith("flotilla.lock: no lock file; run 'flotilla build' once without --locked to create it"));

        try (FleetConfig f = FleetConfig.load(fleet)) {
            f.build("web-1", store("s"), KEY);
            assertTrue(f.updateLock());
            assertFalse(f.updateLock(), "unchanged inputs leave the lock alone");
        }
        FleetLock lock = FleetLock.read(fleet).orElseThrow();
        assertEquals(Map.of(FleetLock.Kind.FILE, FleetLock.file(fleet, fleet.resolve("fleet.nix")).value()), lock.inputs().get("fleet.nix"));
        assertEquals(List.of("../shared/base.nix", "../shared/extra.txt", "../shared/motd.txt", "files/proxy.conf", "fleet.nix",
                        "inventory.yaml", "modules/app.nix", "modules/common.nix", "modules/web.nix", "packages/fleet-tools", "packages/webapp"),
                List.copyOf(lock.inputs().keySet()), "what web-1 read, and nothing else (not db.nix, unused.nix, plans/)");
        assertEquals("no", lock.value("../shared/extra.txt", FleetLock.Kind.EXISTS).orElseThrow());
        assertTrue(lock.value("packages/webapp", FleetLock.Kind.TREE).orElseThrow().startsWith("sha256-"));
        String text = Files.readString(fleet.resolve(FleetLock.FILE));
        assertTrue(text.startsWith("{\n  \"version\" : 2,\n  \"inputs\" : {\n    \"../shared/base.nix\" : {\n      \"file\" : \"sha256-"), text);

        FleetConfig.Options locked = FleetConfig.Options.defaults().withLocked(true);
        Files.writeString(fleet.resolve("modules/unused.nix"), "{ changed = true; }\n");
        Files.writeString(fleet.resolve("README.md"), "edited\n");
        try (FleetConfig f = FleetConfig.load(fleet, locked)) {
            assertTrue(f.build("web-2", store("s"), KEY).path().name().endsWith("web-2"), "files nobody reads may change");
            assertFalse(f.updateLock(), "--locked never writes the lock");
            FleetException db = assertThrows(FleetException.class, () -> f.evaluate("db-1"));
            assertEquals(FleetException.Kind.LOCKED, db.kind());
            assertTrue(db.getMessage().contains("host db-1 reads modules/db.nix (file) is read but not recorded in the lock"), db.getMessage());
        }

        String oldWeb = lock.value("modules/web.nix", FleetLock.Kind.FILE).orElseThrow();
        Files.writeString(fleet.resolve("modules/web.nix"), "\n", java.nio.file.StandardOpenOption.APPEND);
        String newWeb = FleetLock.file(fleet, fleet.resolve("modules/web.nix")).value();
        FleetException e = assertThrows(FleetException.class, () -> FleetConfig.load(fleet, locked));
        assertEquals(FleetException.Kind.LOCKED, e.kind());
        assertTrue(e.getMessage().endsWith("flotilla.lock: modules/web.nix changed: file " + oldWeb + " in the lock, " + newWeb + " now;"
                + " refusing to evaluate with --locked (run 'flotilla build' without --locked to update the lock)"), e.getMessage());

        // Without --locked the build goes on and records the new state; then an input outside the folder appears.
        try (FleetConfig f = FleetConfig.load(fleet)) {
            f.build("web-1", store("s"), KEY);
            assertTrue(f.updateLock());
        }
        try (FleetConfig f = FleetConfig.load(fleet, locked)) {
            f.evaluate("web-1");
        }
        Files.writeString(shared.resolveSibling("extra.txt"), "now it exists\n");
        FleetException appeared = assertThrows(FleetException.class, () -> FleetConfig.load(fleet, locked));
        assertTrue(appeared.getMessage().contains("../shared/extra.txt changed: exists no in the lock, yes now"), appeared.getMessage());
    }

    @Test
    void aFileFromNixFetchurlIsDownloadedByTheBuiltinBuilderAndItsHashDecides() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = "hello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        server.createContext("/hello.txt", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hello.txt";
            Path fleet = copyFleet(EXAMPLE, tmp.resolve("fleet"));
            String original = Files.readString(fleet.resolve("fleet.nix"));
            String fetched = """
                      hosts.web-2.environment.etc."greeting".source = import <nix/fetchurl.nix> {
                        url = "URL"; name = "greeting-src"; sha256 = "HASH";
                      };
                      hosts.web-3 = {""".replace("URL", url);
            Files.writeString(fleet.resolve("fleet.nix"), original.replace("hosts.web-3 = {",
                    fetched.replace("HASH", "00xyyr3fi8l6hb839bv3f7yb86yjv7xi1cgh1xnhipym4asvb4aq")));
            LocalStore s = store("s");
            StorePath web2;
            try (FleetConfig f = FleetConfig.load(fleet)) {
                web2 = f.build("web-2", s, KEY).path();
            }
            assertEquals("hello\n", Files.readString(s.physical(web2).resolve("etc/greeting")));
            String drv;
            try (FleetConfig f = FleetConfig.load(fleet)) {
                drv = f.derivationsOf("web-2").getFirst();
            }
            assertTrue(Files.readString(dev.flotilla.store.build.BuildLogs.of(s).file(drv)).contains("downloading '" + url + "'"));

            // Another declared hash: the download is refused and nothing is registered under that name.
            Files.writeString(fleet.resolve("fleet.nix"), original.replace("hosts.web-3 = {",
                    fetched.replace("HASH", "0000000000000000000000000000000000000000000000000000")));
            try (FleetConfig f = FleetConfig.load(fleet)) {
                FleetException e = assertThrows(FleetException.class, () -> f.build("web-2", store("t"), KEY));
                assertEquals(FleetException.Kind.BUILD, e.kind());
                assertTrue(e.getMessage().contains("hash mismatch in fixed-output derivation"), e.getMessage());
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aPackageBuiltByADerivationIsRealisedInTheSandboxBeforeTheSystem() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap is installed");
        Path fleet = copyFleet(EXAMPLE, tmp.resolve("fleet"));
        Files.writeString(fleet.resolve("fleet.nix"), Files.readString(fleet.resolve("fleet.nix")).replace("hosts.web-3 = {", """
                  hosts.web-2.environment.packages = [
                    (derivation {
                      name = "greeter";
                      system = builtins.currentSystem;
                      builder = "/bin/sh";
                      conf = ./files/proxy.conf;
                      args = [ "-c" "export PATH=/usr/bin; mkdir -p $out/bin; printf '#!/bin/sh\\necho hello\\n' > $out/bin/greet; chmod +x $out/bin/greet; cp $conf $out/proxy.conf; echo built greeter" ];
                    })
                  ];
                  hosts.web-3 = {"""));
        LocalStore s = store("s");
        List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        FleetConfig.Options options = FleetConfig.Options.defaults().withSandbox(dev.flotilla.store.build.Sandbox.Mode.REQUIRED)
                .withProgress(progress::add);
        StorePath web2;
        String drv;
        try (FleetConfig f = FleetConfig.load(fleet, options)) {
            web2 = f.build("web-2", s, KEY).path();
            drv = f.derivationsOf("web-2").getFirst();
            assertEquals(List.of(), f.derivationsOf("web-1"));
        }
        Path greet = s.physical(web2).resolve("sw/bin/greet");
        assertTrue(Files.isSymbolicLink(greet));
        StorePath greeter = StorePath.parse(s.storeDir(), Files.readSymbolicLink(greet).toString().replace("/bin/greet", ""));
        assertTrue(s.requireInfo(web2).references().contains(greeter));
        assertEquals(Files.readString(fleet.resolve("files/proxy.conf")), Files.readString(s.physical(greeter).resolve("proxy.conf")));
        assertTrue(Files.readString(dev.flotilla.store.build.BuildLogs.of(s).file(drv)).contains("built greeter\n"));
        assertEquals(1, progress.stream().filter(p -> p.startsWith("building ")).count(), progress.toString());
        try (FleetConfig f = FleetConfig.load(fleet, options)) {
            assertEquals(web2, f.build("web-2", store("s"), KEY).path(), "the same system again");
        }
        assertEquals(1, progress.stream().filter(p -> p.startsWith("building ")).count(), "a valid output is not built again");

        Files.writeString(fleet.resolve("fleet.nix"), Files.readString(fleet.resolve("fleet.nix")).replace("echo built greeter", "echo failing; exit 4"));
        try (FleetConfig f = FleetConfig.load(fleet, options)) {
            FleetException e = assertThrows(FleetException.class, () -> f.build("web-2", s, KEY));
            assertEquals(FleetException.Kind.BUILD, e.kind());
            assertTrue(e.getMessage().matches("(?s)host web-2: builder for '/flotilla/store/[a-z0-9]{32}-greeter.drv' failed with exit code 4;"
                    + " last 1 log lines:\n  > failing\nfull log: .*"), e.getMessage());
        }
    }

    @Test
    void aDiffShowsTheChangedToplevelAndTheAddedPackage() throws Exception {
        Path fleet = copyFleet(EXAMPLE, tmp.resolve("fleet"));
        LocalStore s = store("s");
        StorePath before;
        try (FleetConfig f = FleetConfig.load(fleet)) {
            before = f.build("web-2", s, KEY).path();
        }
        Files.createDirectories(fleet.resolve("packages/extra/bin"));
        Files.writeString(fleet.resolve("packages/extra/bin/extra"), "#!/bin/sh\n");
        Files.writeString(fleet.resolve("fleet.nix"), Files.readString(fleet.resolve("fleet.nix"))
                .replace("hosts.web-3 = {", "hosts.web-2.environment.packages = [ ./packages/extra ];\n  hosts.web-3 = {"));
        StorePath after;
        try (FleetConfig f = FleetConfig.load(fleet)) {
            after = f.build("web-2", s, KEY).path();
        }
        ClosureDiff d = ClosureDiff.between(s, before, after);
        assertEquals(List.of("flotilla-system-web-2"), d.changed().stream().map(ClosureDiff.Change::name).toList());
        assertEquals(List.of("extra"), d.added().stream().map(p -> p.path().name()).toList());
        assertEquals(List.of(), d.removed());
        assertEquals(d.fromCount() + 1, d.toCount());
        assertTrue(ClosureDiff.between(s, after, after).isEmpty());
        ClosureDiff back = ClosureDiff.between(s, after, before);
        assertEquals(List.of("extra"), back.removed().stream().map(p -> p.path().name()).toList());
    }

    @Test
    void theSystemSourceBuildsAndReportsEvaluationErrorsAsSuch() throws Exception {
        Path fleet = copyFleet(EXAMPLE, tmp.resolve("fleet"));
        LocalStore s = store("s");
        try (FleetConfig f = FleetConfig.load(fleet)) {
            SystemSource source = new FleetSource(f, s, KEY);
            Host web1 = f.inventory().host("web-1").orElseThrow();
            PathInfo direct = f.build("web-1", s, KEY);
            assertEquals(direct.path(), source.build(web1, f.inventory()));
        }
        Files.writeString(fleet.resolve("fleet.nix"), Files.readString(fleet.resolve("fleet.nix"))
                .replace("app.workers = 8;", "app.workers = \"eight\";"));
        try (FleetConfig f = FleetConfig.load(fleet)) {
            SystemSource source = new FleetSource(f, s, KEY);
            SystemSource.BuildException e = assertThrows(SystemSource.BuildException.class,
                    () -> source.build(f.inventory().host("web-3").orElseThrow(), f.inventory()));
            assertEquals(Step.EVALUATE, e.step());
            assertEquals("host web-3: The option `app.workers' has a value of the wrong type in fleet.nix:18:5: expected positive integer,"
                    + " got the string \"eight\". Defined in fleet.nix:18:5.", e.getMessage());
        }
    }

    @Test
    void deploymentOptionsOverrideTheInventory() throws Exception {
        Path fleet = copyFleet(EXAMPLE, tmp.resolve("fleet"));
        Files.writeString(fleet.resolve("fleet.nix"), Files.readString(fleet.resolve("fleet.nix"))
                .replace("app.workers = 8;", "app.workers = 8; deployment = { targetHost = \"web-3.example.net\"; targetPort = 2200; tags = [ \"big\" ]; };"));
        try (FleetConfig f = FleetConfig.load(fleet)) {
            Host h = f.effectiveHost("web-3");
            assertEquals("web-3.example.net", h.address());
            assertEquals(2200, h.port());
            assertEquals(java.util.Set.of("big"), h.tags());
            assertEquals(java.util.Set.of("canary"), f.effectiveHost("web-1").tags());
            assertTrue(f.configJson("web-1").contains("\"logLevel\" : \"debug\""));
        }
    }
}
