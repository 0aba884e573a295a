package dev.flotilla.cli.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryHostKeysTest {

    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ5yH2R0VgW9T8pJ7HcXlUoN6m3d4aPZc2bq1Yx0s8Kf flotilla-agent@web-1";
    private static final String OLD = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOqdNwEMsCCsPp9mQ4mVGkA0B1jQf0h9mX3kR2V1k5Dz old";

    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("inventory.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void addsKeyAndPortToABlockMappingKeepingEverythingElse() throws Exception {
        Path f = write("""
                # production
                all:
                  vars: { role: web }
                  hosts:
                    web-1:   # the canary
                      address: 10.0.0.11
                      tags: [canary]
                    web-2: { address: 10.0.0.12 }
                """);
        assertTrue(InventoryHostKeys.record(f, "web-1", KEY, 2222));
        assertEquals("""
                # production
                all:
                  vars: { role: web }
                  hosts:
                    web-1:   # the canary
                      address: 10.0.0.11
                      tags: [canary]
                      port: 2222
                      host_key: "%s"
                    web-2: { address: 10.0.0.12 }
                """.formatted(KEY), Files.readString(f));
        assertFalse(InventoryHostKeys.record(f, "web-1", KEY, 2222), "a second run changes nothing");
    }

    @Test
    void replacesExistingValuesInAFlowMapping() throws Exception {
        Path f = write("all:\n  hosts:\n    web-1: { address: 10.0.0.11, ansible_port: 22, host_key: \"" + OLD + "\" }\n");
        assertTrue(InventoryHostKeys.record(f, "web-1", KEY, 2300));
        assertEquals("all:\n  hosts:\n    web-1: { address: 10.0.0.11, ansible_port: 2300, host_key: \"" + KEY + "\" }\n", Files.readString(f));
    }

    @Test
    void addsToAFlowMappingAndToAnEmptyHost() throws Exception {
        Path f = write("all:\n  hosts:\n    web-1: { address: 10.0.0.11 }\n    web-2:\n  children:\n    db: { hosts: { web-2: {} } }\n");
        InventoryHostKeys.record(f, "web-1", KEY, 22);
        InventoryHostKeys.record(f, "web-2", KEY, 2222);
        assertEquals("all:\n  hosts:\n    web-1: { address: 10.0.0.11, host_key: \"" + KEY + "\" }\n"
                + "    web-2: { port: 2222, host_key: \"" + KEY + "\" }\n  children:\n    db: { hosts: { web-2: {} } }\n", Files.readString(f));
    }

    @Test
    void findsTheHostByAddressOrRefusesClearly() throws Exception {
        Path f = write("all:\n  hosts:\n    web-1: { address: 10.0.0.11 }\n    web-2: { address: 10.0.0.12 }\n");
        assertEquals("web-2", InventoryHostKeys.resolveName(f, Optional.empty(), "10.0.0.12"));
        assertEquals("web-1", InventoryHostKeys.resolveName(f, Optional.empty(), "web-1"));
        BootstrapException none = assertThrows(BootstrapException.class, () -> InventoryHostKeys.resolveName(f, Optional.empty(), "10.0.0.99"));
        assertTrue(none.getMessage().contains("--name"), none.getMessage());
        BootstrapException unknown = assertThrows(BootstrapException.class, () -> InventoryHostKeys.resolveName(f, Optional.of("db-1"), "x"));
        assertEquals(BootstrapException.Kind.INVALID_INPUT, unknown.kind());
        assertTrue(unknown.getMessage().contains("no host named 'db-1'"), unknown.getMessage());
    }

    @Test
    void aBrokenInventoryIsReportedWithItsPosition() throws Exception {
        Path f = write("all:\n  hosts:\n    web-1: { address: 10.0.0.11\n");
        BootstrapException e = assertThrows(BootstrapException.class, () -> InventoryHostKeys.resolveName(f, Optional.of("web-1"), "x"));
        assertTrue(e.getMessage().startsWith(f + ":"), e.getMessage());
    }
}
