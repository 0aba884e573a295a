package dev.flotilla.eval.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module system: merging, priorities, properties, and the messages of its errors. */
class ModulesTest {
    @TempDir
    Path dir;
    ModuleTestSupport m;

    static final String DECLS = """
            { lib, ... }:
            let t = lib.types; in
            {
              options = {
                name = lib.mkOption { type = t.str; default = "none"; description = "A name."; };
                port = lib.mkOption { type = t.port; };
                tags = lib.mkOption { type = t.listOf t.str; default = [ ]; };
                motd = lib.mkOption { type = t.lines; default = ""; };
                level = lib.mkOption { type = t.enum [ "debug" "info" ]; default = "info"; };
                user = lib.mkOption { type = t.nullOr t.str; default = null; };
                env = lib.mkOption { type = t.attrsOf t.str; default = { }; };
                enable = lib.mkEnableOption "the thing";
              };
            }
            """;

    @BeforeEach
    void setUp() {
        m = new ModuleTestSupport(dir);
        m.write("decls.nix", DECLS);
    }

    @Test
    void definitionsFromManyModulesMergeByType() {
        m.write("a.nix", "{ port = 80; tags = [ \"a\" ]; env.A = \"1\"; motd = \"first\"; }");
        m.write("b.nix", "{ config, ... }: { tags = [ \"b\" ]; env.B = config.name + \"2\"; name = \"n\"; motd = \"second\"; port = 80; }");
        Map<String, Object> c = m.eval("decls.nix", "a.nix", "b.nix");
        assertEquals(80L, c.get("port"));
        assertEquals(List.of("a", "b"), c.get("tags"));
        assertEquals(Map.of("A", "1", "B", "n2"), c.get("env"));
        assertEquals("first\nsecond", c.get("motd"));
        assertEquals(false, c.get("enable"));
        assertTrue(c.containsKey("user") && c.get("user") == null);
        assertTrue(!c.containsKey("_module"), "the internal _module is not part of the config");
    }

    @Test
    void prioritiesPickTheDefinitionsThatCount() {
        m.write("a.nix", "{ lib, ... }: { port = lib.mkDefault 80; name = lib.mkForce \"forced\"; tags = lib.mkOverride 200 [ \"low\" ]; }");
        m.write("b.nix", "{ port = 8080; name = \"plain\"; tags = [ \"high\" ]; }");
        m.write("c.nix", "{ lib, ... }: { port = lib.mkDefault 81; }");
        Map<String, Object> c = m.eval("decls.nix", "a.nix", "b.nix");
        assertEquals(8080L, c.get("port"), "a normal definition beats mkDefault");
        assertEquals("forced", c.get("name"), "mkForce beats a normal definition");
        assertEquals(List.of("high"), c.get("tags"), "a lower mkOverride priority number wins");
        assertEquals(81L, m.eval("decls.nix", "c.nix").get("port"), "mkDefault beats the option's default");
        assertEquals("info", m.eval("decls.nix", "c.nix").get("level"));
    }

    @Test
    void mkIfMkMergeAndOrder() {
        m.write("a.nix", """
                { config, lib, ... }:
                lib.mkMerge [
                  { port = 443; }
                  (lib.mkIf (config.port == 443) { tags = [ "tls" ]; env.TLS = "yes"; })
                  (lib.mkIf false { tags = [ "never" ]; name = throw "not evaluated"; })
                  { motd = lib.mkAfter "last"; tags = lib.mkBefore [ "first" ]; }
                ]
                """);
        m.write("b.nix", "{ lib, ... }: { motd = lib.mkMerge [ \"middle\" (lib.mkBefore \"top\") ]; tags = [ \"b\" ]; }");
        Map<String, Object> c = m.eval("decls.nix", "a.nix", "b.nix");
        assertEquals(List.of("first", "tls", "b"), c.get("tags"));
        assertEquals(Map.of("TLS", "yes"), c.get("env"));
        assertEquals("top\nmiddle\nlast", c.get("motd"));
        assertEquals("none", c.get("name"));
    }

    @Test
    void mkIfInsideAListAndAtTheTopOfAnAttrsOf() {
        m.write("a.nix", "{ lib, ... }: { port = 1; tags = [ \"x\" (lib.mkIf false \"y\") ]; env = lib.mkIf true { K = \"v\"; }; }");
        Map<String, Object> c = m.eval("decls.nix", "a.nix");
        assertEquals(List.of("x"), c.get("tags"));
        assertEquals(Map.of("K", "v"), c.get("env"));
    }

    @Test
    void aConflictNamesTheOptionAndEveryDefinition() {
        m.write("a.nix", "{\n  port = 80;\n  name = \"a\";\n}\n");
        m.write("sub/b.nix", "{ ... }:\n{\n    name = \"b\";\n}\n");
        String msg = m.error("decls.nix", "a.nix", "sub/b.nix");
        assertEquals("""
                The option `name' has conflicting definitions:
                  - "a" in a.nix:3:3
                  - "b" in sub/b.nix:3:5
                Keep one of them, or give one a priority with lib.mkForce or lib.mkDefault.""", msg);
    }

    @Test
    void lazyAttrsOfAllowsAttributesDefinedFromEachOther() {
        m.write("l.nix", """
                { lib, config, ... }:
                {
                  options.vars = lib.mkOption { type = lib.types.lazyAttrsOf lib.types.str; };
                  config.vars = { a = "1"; b = config.vars.a + "2"; };
                }
                """);
        assertEquals(Map.of("vars", Map.of("a", "1", "b", "12")), m.eval("l.nix"));
    }

    @Test
    void equalDefinitionsDoNotConflict() {
        m.write("a.nix", "{ port = 80; name = \"same\"; }");
        m.write("b.nix", "{ port = 80; name = \"same\"; }");
        assertEquals("same", m.eval("decls.nix", "a.nix", "b.nix").get("name"));
    }

    @Test
    void aTypeErrorNamesTheOptionTheValueAndTheFiles() {
        m.write("a.nix", "{\n  port = \"80\";\n}\n");
        m.write("b.nix", "{ port = 80; }");
        assertEquals("The option `port' has a value of the wrong type in a.nix:2:3: expected port number (1..65535),"
                + " got the string \"80\". Defined in a.nix:2:3 and b.nix:1:3.", m.error("decls.nix", "a.nix", "b.nix"));
        m.write("c.nix", "{ port = 1; level = \"trace\"; }");
        assertEquals("The option `level' has a value of the wrong type in c.nix:1:13: expected one of \"debug\", \"info\","
                + " got the string \"trace\". Defined in c.nix:1:13.", m.error("decls.nix", "c.nix"));
        m.write("d.nix", "{ port = 1; tags = [ \"ok\" 3 ]; }");
        assertEquals("The option `tags[2]' has a value of the wrong type in d.nix:1:13: expected string,"
                + " got the integer 3. Defined in d.nix:1:13.", m.error("decls.nix", "d.nix"));
        m.write("e.nix", "{ port = 1; env.X = true; }");
        assertEquals("The option `env.X' has a value of the wrong type in e.nix:1:13: expected string,"
                + " got the Boolean true. Defined in e.nix:1:13.", m.error("decls.nix", "e.nix"));
    }

    @Test
    void anUndeclaredOptionIsReportedWithWhereItIsDefined() {
        m.write("a.nix", "{\n  port = 1;\n  prot = 2;\n}\n");
        assertEquals("The option `prot' does not exist; it is defined in a.nix:3:3."
                + " Options here: enable, env, level, motd, name, port, tags, user.", m.error("decls.nix", "a.nix"));
    }

    @Test
    void anOptionWithoutDefaultOrDefinitionIsUsedButNotDefined() {
        m.write("a.nix", "{ name = \"x\"; }");
        assertEquals("The option `port' is used but not defined (declared at decls.nix:6:5).", m.error("decls.nix", "a.nix"));
    }

    @Test
    void nullOrConflictsBetweenNullAndAValue() {
        m.write("a.nix", "{ port = 1; user = null; }");
        m.write("b.nix", "{ user = \"www\"; }");
        assertTrue(m.error("decls.nix", "a.nix", "b.nix").startsWith("The option `user' has conflicting definitions:\n  - null in a.nix:1:13\n  - \"www\" in b.nix:1:3"));
    }

    @Test
    void mkIfNeedsABoolean() {
        m.write("a.nix", "{ lib, ... }: { port = 1; name = lib.mkIf \"yes\" \"x\"; }");
        assertEquals("a.nix:1:27: lib.mkIf needs a Boolean condition, got the string \"yes\"", m.error("decls.nix", "a.nix"));
    }

    @Test
    void submodulesUnderAttrsOfGetTheirNameAndMergeTheirDefinitions() {
        m.write("svc.nix", """
                { lib, ... }:
                {
                  options.services = lib.mkOption {
                    type = lib.types.attrsOf (lib.types.submodule ({ name, config, ... }: {
                      options = {
                        command = lib.mkOption { type = lib.types.str; default = "run-${name}"; };
                        user = lib.mkOption { type = lib.types.str; default = name; };
                        args = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
                        line = lib.mkOption { type = lib.types.str; default = lib.concatStringsSep " " ([ config.command ] ++ config.args); };
                      };
                    }));
                    default = { };
                  };
                }
                """);
        m.write("a.nix", "{ services.web.args = [ \"-v\" ]; services.db = { }; }");
        m.write("b.nix", "{ lib, ... }: { services.web = { user = \"www\"; args = [ \"-q\" ]; command = lib.mkForce \"nginx\"; }; }");
        Map<?, ?> s = (Map<?, ?>) m.eval("svc.nix", "a.nix", "b.nix").get("services");
        assertEquals(Map.of("command", "nginx", "user", "www", "args", List.of("-v", "-q"), "line", "nginx -v -q"), s.get("web"));
        assertEquals(Map.of("command", "run-db", "user", "db", "args", List.of(), "line", "run-db"), s.get("db"));
        m.write("c.nix", "{\n  services.web.usr = \"x\";\n}\n");
        assertEquals("The option `services.web.usr' does not exist; it is defined in c.nix:2:3. Options here: args, command, line, user.",
                m.error("svc.nix", "c.nix"));
        m.write("d.nix", "{ services.web.user = \"a\"; }");
        m.write("e.nix", "{ services.web.user = \"b\"; }");
        assertEquals("""
                The option `services.web.user' has conflicting definitions:
                  - "a" in d.nix:1:3
                  - "b" in e.nix:1:3
                Keep one of them, or give one a priority with lib.mkForce or lib.mkDefault.""", m.error("svc.nix", "d.nix", "e.nix"));
    }

    @Test
    void submoduleDeclarationsMergeAcrossModules() {
        m.write("a.nix", "{ lib, ... }: { options.s = lib.mkOption { type = lib.types.submodule { options.x = lib.mkOption { default = 1; }; }; default = { }; }; }");
        m.write("b.nix", "{ lib, ... }: { options.s = lib.mkOption { type = lib.types.submodule { options.y = lib.mkOption { default = 2; }; }; }; }");
        assertEquals(Map.of("s", Map.of("x", 1L, "y", 2L)), m.eval("a.nix", "b.nix"));
        m.write("c.nix", "{ lib, ... }: { options.s = lib.mkOption { type = lib.types.int; }; }");
        assertTrue(m.error("a.nix", "c.nix").startsWith("The option `s' is declared at a.nix:1:17 as submodule and at c.nix:1:17 as integer;"));
    }

    @Test
    void importsAreFollowedOnceAndFunctionModulesGetModuleArgs() {
        m.write("a.nix", "{ imports = [ ./b.nix ./b.nix ./decls.nix ]; port = 2; }");
        m.write("b.nix", "{ lib, answer, ... }: { imports = [ ./decls.nix ]; tags = [ \"b${toString answer}\" ]; _module.args.answer = 42; }");
        assertEquals(List.of("b42"), m.eval("a.nix").get("tags"));
    }

    @Test
    void coercedToEitherAndSeparatedStrings() {
        m.write("a.nix", """
                { lib, ... }:
                let t = lib.types; in
                {
                  options.script = lib.mkOption { type = t.coercedTo t.str (s: { text = s; }) (t.submodule { options.text = lib.mkOption { type = t.lines; }; options.timeout = lib.mkOption { type = t.int; default = 60; }; }); };
                  options.v = lib.mkOption { type = t.either t.int t.str; };
                  options.list = lib.mkOption { type = t.commas; };
                  config = { script = "echo hi"; v = "x"; list = lib.mkMerge [ "a" "b" ]; };
                }
                """);
        assertEquals(Map.of("script", Map.of("text", "echo hi", "timeout", 60L), "v", "x", "list", "a,b"), m.eval("a.nix"));
    }

    @Test
    void aModuleWithOptionsMustPutDefinitionsInConfig() {
        m.write("a.nix", "{ lib, ... }: { options.x = lib.mkOption { }; y = 1; }");
        assertEquals("a.nix: this module has `options' or `config', so its definitions (y) must go inside `config'", m.error("a.nix"));
    }
}
