package dev.flotilla.eval.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.eval.EvalException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fleet folder's fleet.nix: which modules each host gets, the built-in host options, the system projection. */
class FleetEvaluatorTest {
    @TempDir
    Path dir;
    ModuleTestSupport files;
    Map<String, Map<String, Object>> hosts;

    @BeforeEach
    void setUp() {
        files = new ModuleTestSupport(dir);
        hosts = new TreeMap<>();
        hosts.put("web-1", host("web-1", "10.0.0.1", List.of("all", "web"), List.of("canary")));
        hosts.put("web-2", host("web-2", "10.0.0.2", List.of("all", "web"), List.of()));
        hosts.put("db-1", host("db-1", "10.0.0.3", List.of("all", "db"), List.of()));
    }

    static Map<String, Object> host(String name, String address, List<String> groups, List<String> tags) {
        Map<String, Object> h = new TreeMap<>();
        h.put("name", name);
        h.put("address", address);
        h.put("port", 22L);
        h.put("user", "root");
        h.put("hostKey", null);
        h.put("groups", groups);
        h.put("tags", tags);
        h.put("vars", Map.of("role", groups.get(1)));
        return h;
    }

    HostEvaluation eval(String host) {
        try (FleetEvaluator f = new FleetEvaluator(ModuleTestSupport.EVALUATOR, dir, hosts, 2)) {
            return f.evaluate(host, true);
        }
    }

    @Test
    void hostsGetDefaultsThenGroupsThenTagsThenTheirOwnModules() {
        files.write("common.nix", "{ host, ... }: { environment.etc.motd.text = \"hi ${host.name}\"; }");
        files.write("web.nix", "{ lib, ... }: { services.web = { command = \"serve\"; environment.PORT = 80; }; healthChecks.web.http = \"http://127.0.0.1/\"; }");
        files.write("fleet.nix", """
                { lib, hosts, ... }:
                {
                  defaults = ./common.nix;
                  groups.web = [ ./web.nix ];
                  tags.canary = { lib, ... }: { services.web.command = lib.mkForce "serve --canary"; deployment.tags = [ "early" ]; };
                  hosts.db-1 = { secrets.pw = { }; activation.scripts.init = "mkdir -p /var/db"; };
                }
                """);
        HostEvaluation w1 = eval("web-1");
        Map<?, ?> sys = w1.system();
        assertEquals(Map.of("motd", Map.of("text", "hi web-1", "mode", "0444")), ((Map<?, ?>) sys.get("environment")).get("etc"));
        Map<?, ?> web = (Map<?, ?>) ((Map<?, ?>) sys.get("services")).get("web");
        assertEquals(java.util.Set.of("command", "environment", "after", "restart", "user", "workingDirectory"), web.keySet());
        assertEquals("serve --canary", web.get("command"));
        assertEquals(Map.of("PORT", "80"), web.get("environment"));
        assertEquals("on-failure", web.get("restart"));
        assertEquals(Map.of("web", Map.of("http", "http://127.0.0.1/")), sys.get("healthChecks"));
        assertEquals(List.of("canary", "early"), w1.deployment().get("tags"));
        assertEquals("10.0.0.1", w1.deployment().get("targetHost"));
        assertEquals(List.of(dir.resolve("common.nix").toString(), dir.resolve("web.nix").toString()), w1.moduleFiles());

        HostEvaluation db = eval("db-1");
        assertEquals(Map.of(), db.system().get("services"));
        assertEquals(Map.of("pw", Map.of("path", "/run/flotilla/secrets/pw", "owner", "root", "mode", "0400")), db.system().get("secrets"));
        assertEquals(Map.of("scripts", Map.of("init", Map.of("text", "mkdir -p /var/db", "timeoutSeconds", 60L, "after", List.of()))), db.system().get("activation"));
        assertTrue(((Map<?, ?>) db.config()).containsKey("deployment"));
    }

    @Test
    void sourcesAndPackagesBecomeStorePathsTheBuilderMustAdd() {
        files.write("files/app.conf", "x = 1\n");
        files.write("pkg/bin/tool", "#!/bin/sh\n");
        files.write("fleet.nix", """
                { defaults = { environment.etc."app.conf".source = ./files/app.conf; environment.packages = [ ./pkg ]; }; }
                """);
        HostEvaluation e = eval("web-2");
        Map<?, ?> env = (Map<?, ?>) e.system().get("environment");
        String source = (String) ((Map<?, ?>) ((Map<?, ?>) env.get("etc")).get("app.conf")).get("source");
        String pkg = (String) ((List<?>) env.get("packages")).getFirst();
        assertTrue(source.matches("/flotilla/store/[0-9a-z]{32}-app\\.conf"), source);
        assertTrue(pkg.matches("/flotilla/store/[0-9a-z]{32}-pkg"), pkg);
        assertEquals(dir.resolve("files/app.conf").toString(), e.copiedSources().get(source));
        assertEquals(dir.resolve("pkg").toString(), e.copiedSources().get(pkg));
    }

    @Test
    void anAbsoluteSourceOutsideTheStoreIsRefused() {
        files.write("fleet.nix", "{ defaults.environment.etc.x.source = \"/etc/passwd\"; }");
        EvalException e = assertThrows(EvalException.class, () -> eval("web-1"));
        assertEquals("The option `environment.etc.x.source' has a value of the wrong type in fleet.nix:1:3: expected null or"
                + " path (./file, copied into the store), derivation or store path, got the string \"/etc/passwd\". Defined in fleet.nix:1:3.",
                e.getMessage());
    }

    @Test
    void entriesForUnknownHostsGroupsOrTagsAreErrors() {
        files.write("fleet.nix", "{ hosts.web-9 = { }; groups.wbe = { }; }");
        EvalException e = assertThrows(EvalException.class, () -> eval("web-1"));
        assertEquals("fleet.nix: hosts.web-9 names no hosts of the inventory (known: db-1, web-1, web-2)\n"
                + "fleet.nix: groups.wbe names no groups of the inventory (known: all, db, web)", e.getMessage());
        files.write("fleet.nix", "{ default = { }; }");
        assertEquals("fleet.nix: unknown attribute `default'; fleet.nix has defaults, groups, tags, hosts",
                assertThrows(EvalException.class, () -> eval("web-1")).getMessage());
    }

    @Test
    void aConflictBetweenAGroupModuleAndAHostEntryNamesBoth() {
        files.write("web.nix", "{\n  services.web.command = \"a\";\n}\n");
        files.write("fleet.nix", "{\n  groups.web = ./web.nix;\n  hosts.web-2.services.web.command = \"b\";\n}\n");
        EvalException e = assertThrows(EvalException.class, () -> eval("web-2"));
        assertEquals("""
                The option `services.web.command' has conflicting definitions:
                  - "a" in web.nix:2:3
                  - "b" in fleet.nix:3:3
                Keep one of them, or give one a priority with lib.mkForce or lib.mkDefault.""", e.getMessage());
    }

    @Test
    void oneEvaluatorServesManyHostsConcurrently() throws Exception {
        files.write("fleet.nix", "{ defaults = { host, ... }: { environment.etc.name.text = host.name; }; }");
        try (FleetEvaluator f = new FleetEvaluator(ModuleTestSupport.EVALUATOR, dir, hosts, 2)) {
            var a = f.submit("web-1", false);
            var b = f.submit("web-2", false);
            var c = f.submit("db-1", false);
            assertEquals("web-1", text(a.get()));
            assertEquals("web-2", text(b.get()));
            assertEquals("db-1", text(c.get()));
        }
    }

    private static Object text(HostEvaluation e) {
        return ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) e.system().get("environment")).get("etc")).get("name")).get("text");
    }
}
