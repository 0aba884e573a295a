package dev.flotilla.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.agent.profile.Generation;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.TrustedKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AotTrainingRootTest {

    @Test
    void makesARootWhoseStartReactivatesASystem(@TempDir Path dir) throws Exception {
        assertEquals(0, new CommandLine(AgentMain.class).execute("aot-training-root", dir.toString()));

        assertEquals("", Files.readString(dir.resolve("authorized_keys")), "the training start accepts no one");
        // what the launcher's training start does: open the root with the written store key, then re-activate
        Path etc = dir.resolve("root/etc/motd");
        Files.delete(etc);
        Agent agent = Agent.open(dir.resolve("root"), StoreDir.DEFAULT, TrustedKeys.read(dir.resolve("store-key.pub")), "builtin");
        try {
            Optional<Generation> active = agent.switcher().activateDefault();
            assertTrue(active.isPresent(), "a default generation to re-activate");
            assertEquals(1, active.get().number());
            assertTrue(Files.readString(etc).contains("AOT training"), "the system's /etc is back after the start");
            assertEquals(1, agent.switcher().status().generations().size());
        } finally {
            agent.close();
        }
    }

    @Test
    void isHiddenFromTheHelp() {
        String help = new CommandLine(AgentMain.class).getUsageMessage();
        assertTrue(help.contains("keygen") && !help.contains("aot-training-root"), help);
    }
}
