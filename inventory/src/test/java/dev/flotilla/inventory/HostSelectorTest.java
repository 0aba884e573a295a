package dev.flotilla.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostSelectorTest {

    private static final Inventory INV = InventoryLoader.parse(Path.of("inv.yaml"), """
            all:
              hosts:
                web-1: { tags: [canary] }
                web-2: {}
                web-10: {}
              children:
                db:
                  hosts:
                    db-1: { tags: [primary] }
                    db-2: {}
            """);

    private static List<String> names(String selector) {
        return HostSelector.parse(selector).select(INV).stream().map(Host::name).toList();
    }

    @Test
    void namesGlobsTagsGroupsUnionsAndNegation() {
        assertEquals(List.of("web-2"), names("web-2"));
        assertEquals(List.of("web-1", "web-2", "web-10"), names("web-*"));
        assertEquals(List.of("web-1", "web-2"), names("web-?"));
        assertEquals(List.of("web-1"), names("@canary"));
        assertEquals(List.of("db-1", "db-2"), names("db"));
        assertEquals(List.of("web-1", "db-1"), names("@canary, @primary"));
        assertEquals(List.of("web-2", "web-10", "db-2"), names("!@canary,!@primary"));
        assertEquals(List.of("web-2", "web-10"), names("web-*,!@canary"));
        assertEquals(List.of("web-1", "web-2", "web-10", "db-1", "db-2"), names("all"));
        assertEquals(List.of("web-1", "web-2"), names("web-[12]"));
    }

    @Test
    void selectingNothingOrBadSyntaxIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> names("cache-*"));
        assertEquals("host selector 'cache-*' matches no host of the inventory", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> names("web 1"));
        assertTrue(e.getMessage().startsWith("invalid term 'web 1'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> names(""));
        assertThrows(IllegalArgumentException.class, () -> names("web-1,"));
        assertThrows(IllegalArgumentException.class, () -> names("all,!all"));
    }
}
