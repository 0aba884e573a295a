package dev.flotilla.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunArgsTest {
    private static final String[] COMPLETE = {"--root", "/srv/r", "--listen=127.0.0.1:2201", "--host-key", "/k/host",
            "--authorized-keys", "/k/ak", "--trusted-key", "/k/a.pub", "--trusted-key=/k/b.pub", "--services", "builtin"};

    @Test
    void readsTheCompleteFormWithDefaults() {
        AgentMain.Run run = RunArgs.parse(COMPLETE).orElseThrow();
        assertEquals(Path.of("/srv/r"), run.store.root);
        assertEquals("127.0.0.1:2201", run.listen);
        assertEquals(Path.of("/k/host"), run.hostKey);
        assertEquals(Path.of("/k/ak"), run.authorizedKeys);
        assertEquals(List.of(Path.of("/k/a.pub"), Path.of("/k/b.pub")), run.store.trustedKeys);
        assertEquals("builtin", run.store.services);
        assertEquals("/flotilla/store", run.store.storeDir);
    }

    @Test
    void leavesEverythingElseToPicocli() {
        assertTrue(RunArgs.parse(new String[] {"--help"}).isEmpty());
        assertTrue(RunArgs.parse(new String[] {"--root", "/r", "--listen", "h:1", "--host-key", "k", "--authorized-keys", "a"})
                .isEmpty(), "no --trusted-key");
        String[] unknown = java.util.Arrays.copyOf(COMPLETE, COMPLETE.length + 1);
        unknown[COMPLETE.length] = "--verbose";
        assertTrue(RunArgs.parse(unknown).isEmpty());
        assertTrue(RunArgs.parse(new String[] {"--root"}).isEmpty());
    }
}
