package dev.flotilla.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VarsFoldersTest {

    @Test
    void groupVarsAndHostVarsFoldersWinOverTheInventory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("inventory.yaml"), """
                all:
                  vars: { env: dev, motd: inline }
                  children:
                    web:
                      vars: { tier: inline }
                      hosts:
                        web-1: { ansible_host: 10.0.0.1, motd: host-inline }
                        web-2: {}
                """);
        Files.createDirectories(dir.resolve("group_vars/web"));
        Files.writeString(dir.resolve("group_vars/all.yml"), "env: prod\n");
        Files.writeString(dir.resolve("group_vars/web/10-main.yml"), "tier: front\n");
        Files.writeString(dir.resolve("group_vars/web/20-more.yaml"), "replicas: 3\n");
        Files.createDirectories(dir.resolve("host_vars"));
        Files.writeString(dir.resolve("host_vars/web-1.yaml"), "motd: from-file\nansible_port: 2222\n");

        Inventory inv = InventoryLoader.load(dir.resolve("inventory.yaml"));
        Host web1 = inv.host("web-1").orElseThrow();
        assertEquals("prod", web1.vars().get("env"));
        assertEquals("front", web1.vars().get("tier"));
        assertEquals(3L, web1.vars().get("replicas"));
        assertEquals("from-file", web1.vars().get("motd"));
        assertEquals(2222, web1.port());
        assertEquals("10.0.0.1", web1.address());
        assertEquals("inline", inv.host("web-2").orElseThrow().vars().get("motd"));
    }

    @Test
    void errorsInAVarsFileNameThatFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("inventory.yaml"), "all:\n  hosts:\n    a: {}\n");
        Files.createDirectories(dir.resolve("host_vars"));
        Files.writeString(dir.resolve("host_vars/a.yml"), "\nport: nope\n");
        var e = assertThrows(InventoryException.class, () -> InventoryLoader.load(dir.resolve("inventory.yaml")));
        assertTrue(e.getMessage().startsWith(dir.resolve("host_vars/a.yml") + ":2:7: port must be a number"), e.getMessage());
    }
}
