package dev.flotilla.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InventoryLoaderTest {

    private static final Path FILE = Path.of("fleet/inventory.yaml");

    private static Inventory parse(String yaml) {
        return InventoryLoader.parse(FILE, yaml);
    }

    @Test
    void readsHostsGroupsAndMergesVarsChildOverParent() {
        Inventory inv = parse("""
                all:
                  vars:
                    env: prod
                    motd: hello
                  hosts:
                    edge-1:
                      address: 10.0.0.1
                      port: 2201
                      tags: [canary]
                      host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9v comment"
                  children:
                    web:
                      vars: { motd: web, tier: front }
                      children:
                        web_eu:
                          vars: { motd: web-eu }
                          hosts:
                            web-1: { ansible_host: 10.0.1.1, ansible_port: 2202, motd: mine }
                            web-2: { ansible_host: 10.0.1.2 }
                """);
        assertEquals(List.of("edge-1", "web-1", "web-2"), inv.names());
        Host edge = inv.host("edge-1").orElseThrow();
        assertEquals("10.0.0.1", edge.address());
        assertEquals(2201, edge.port());
        assertEquals(Set.of("canary"), edge.tags());
        assertEquals("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9v comment", edge.hostKey().orElseThrow());
        assertEquals("hello", edge.vars().get("motd"));

        Host web1 = inv.host("web-1").orElseThrow();
        assertEquals("10.0.1.1", web1.address());
        assertEquals(2202, web1.port());
        assertEquals(Set.of("all", "web", "web_eu"), web1.groups());
        assertEquals("mine", web1.vars().get("motd"));
        assertEquals("front", web1.vars().get("tier"));
        assertEquals("prod", web1.vars().get("env"));

        Host web2 = inv.host("web-2").orElseThrow();
        assertEquals(22, web2.port());
        assertEquals("web-eu", web2.vars().get("motd"));
    }

    @Test
    void typedVarsBecomePlainValues() {
        Host h = parse("""
                all:
                  hosts:
                    a: { address: 127.0.0.1, workers: 4, ratio: 0.5, debug: true, list: [1, two], map: { k: v } }
                """).host("a").orElseThrow();
        assertEquals(4L, h.vars().get("workers"));
        assertEquals(0.5, h.vars().get("ratio"));
        assertEquals(true, h.vars().get("debug"));
        assertEquals(List.of(1L, "two"), h.vars().get("list"));
        assertEquals(java.util.Map.of("k", "v"), h.vars().get("map"));
    }

    @Test
    void errorsNameFileLineAndColumn() {
        var e = assertThrows(InventoryException.class, () -> parse("""
                all:
                  hosts:
                    a:
                      port: 70000
                """));
        assertEquals("fleet/inventory.yaml:4:13: port 70000 is outside 1..65535", e.getMessage());

        e = assertThrows(InventoryException.class, () -> parse("""
                all:
                  hostz:
                    a: {}
                """));
        assertTrue(e.getMessage().startsWith("fleet/inventory.yaml:2:3: unknown key 'hostz' in group 'all'"), e.getMessage());

        e = assertThrows(InventoryException.class, () -> parse("""
                all:
                  hosts:
                    "bad host": {}
                """));
        assertTrue(e.getMessage().startsWith("fleet/inventory.yaml:3:5: invalid host name 'bad host'"), e.getMessage());

        e = assertThrows(InventoryException.class, () -> parse("all: [\n"));
        assertTrue(e.getMessage().startsWith("fleet/inventory.yaml:2:1: invalid YAML"), e.getMessage());

        e = assertThrows(InventoryException.class, () -> parse("""
                all:
                  hosts:
                    a: { host_key: "not a key" }
                """));
        assertTrue(e.getMessage().startsWith("fleet/inventory.yaml:3:20: host_key must be"), e.getMessage());

        e = assertThrows(InventoryException.class, () -> parse("all:\n  vars: {x: 1}\n"));
        assertTrue(e.getMessage().contains("declares no hosts"), e.getMessage());
    }

    @Test
    void duplicateKeysAreRejected() {
        var e = assertThrows(InventoryException.class, () -> parse("""
                all:
                  hosts:
                    a: {}
                    a: {}
                """));
        assertEquals("fleet/inventory.yaml:4:5: duplicate key 'a'", e.getMessage());
    }
}
