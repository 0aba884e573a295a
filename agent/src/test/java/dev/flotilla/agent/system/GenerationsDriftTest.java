package dev.flotilla.agent.system;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.DriftEntry;
import dev.flotilla.agent.GenerationInfo;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchOptions;
import dev.flotilla.agent.testing.TestSystems;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerationsDriftTest {
    @TempDir
    Path root;

    private SystemSwitcher switcher;

    @BeforeEach
    void setUp() {
        switcher = SystemSwitcher.forRoot(root, TestSystems.directoryStore(root));
    }

    private String system(int n) throws Exception {
        return TestSystems.system("h").etc("motd", "v" + n + "\n").etc("app/app.conf", "port=" + n + "\n").writeInto(root);
    }

    @Test
    void generationsRecordTheirDeploymentAndOldOnesCanBeDeleted() throws Exception {
        for (int i = 1; i <= 5; i++) {
            switcher.switchTo(system(i), SwitchMode.SWITCH,
                    SwitchOptions.defaults().withConfirmTimeout(Duration.ZERO).withDeploymentId("deploy-" + i), "c");
        }
        switcher.rollback(OptionalInt.of(4));
        List<GenerationInfo> all = switcher.generations(true);
        assertEquals(5, all.size());
        assertEquals(Optional.of("deploy-2"), all.get(1).deploymentId());
        assertEquals(-1, all.get(1).closureSize(), "the directory store knows no sizes");
        assertTrue(all.get(3).isDefault());

        assertEquals(List.of(1, 2), switcher.deleteGenerations(OptionalInt.of(3), Optional.empty()));
        assertEquals(List.of(), switcher.deleteGenerations(OptionalInt.empty(), Optional.of(Duration.ofDays(1))), "none that old");
        assertEquals(List.of(3, 5), switcher.deleteGenerations(OptionalInt.of(0), Optional.empty()), "never the default one");
        assertEquals(List.of(4), switcher.generations(false).stream().map(GenerationInfo::number).toList());
        assertFalse(Files.exists(root.resolve("flotilla/var/generations/2.json")));
        assertEquals(1, switcher.journal().all().stream().filter(e -> e.event().equals("delete-generations")).count() > 0 ? 1 : 0);
        assertThrows(AgentException.class, () -> switcher.deleteGenerations(OptionalInt.empty(), Optional.empty()));
    }

    @Test
    void driftIsReportedAndTheEditedCopyKeptAsideAtTheNextSwitch() throws Exception {
        switcher.switchTo(system(1), SwitchMode.SWITCH);
        assertEquals(List.of(), switcher.drift());

        Path conf = root.resolve("etc/app/app.conf");
        Files.delete(conf);
        Files.writeString(conf, "port=9999\n");  // an editor replacing the link with a file
        Files.delete(root.resolve("etc/motd"));
        List<DriftEntry> drift = switcher.drift();
        assertEquals(List.of("app/app.conf:REPLACED", "motd:MISSING"),
                drift.stream().map(d -> d.name() + ":" + d.kind()).toList());
        assertTrue(drift.getFirst().detail().contains("regular file"), drift.getFirst().detail());
        assertEquals(drift, switcher.status().drift());

        var r = switcher.switchTo(system(2), SwitchMode.SWITCH);
        assertTrue(r.message().contains("kept aside: app/app.conf -> app/app.conf.flotilla-backup-"), r.message());
        assertEquals(List.of(), switcher.drift());
        try (var files = Files.list(root.resolve("etc/app"))) {
            Path backup = files.filter(f -> f.getFileName().toString().startsWith("app.conf.flotilla-backup-")).findFirst().orElseThrow();
            assertEquals("port=9999\n", Files.readString(backup));
        }
    }

    @Test
    void writingThroughTheLinkIsReportedAsModified() throws Exception {
        String v1 = system(1);
        switcher.switchTo(v1, SwitchMode.SWITCH);
        Path storeFile = root.resolve(v1.substring(1)).resolve("etc/motd");
        Files.writeString(storeFile, "tampered\n");
        assertEquals(List.of("motd:MODIFIED"), switcher.drift().stream().map(d -> d.name() + ":" + d.kind()).toList());
        assertEquals(Map.of(), Map.of());
    }
}
