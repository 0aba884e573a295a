package dev.flotilla.agent.system;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentStatus;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.profile.Profile;
import dev.flotilla.agent.testing.TestSystems;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SystemSwitcherTest {
    @TempDir
    Path root;

    private SystemSwitcher switcher;
    private Profile profile;
    private String v1;
    private String v2;
    private String broken;

    @BeforeEach
    void setUp() throws Exception {
        switcher = SystemSwitcher.forRoot(root, TestSystems.directoryStore(root));
        profile = Profile.system(root);
        v1 = TestSystems.system("web-1").etc("motd", "v1\n").commandCheck("motd", "grep -q v1 etc/motd").writeInto(root);
        v2 = TestSystems.system("web-1").etc("motd", "v2\n").etc("extra", "x\n")
                .commandCheck("env", "test -f \"$FLOTILLA_SYSTEM/manifest.json\" && test \"$FLOTILLA_ROOT\" = \"$PWD\"")
                .writeInto(root);
        broken = TestSystems.system("web-1").etc("motd", "v3\n")
                .commandCheck("fine", "true")
                .commandCheck("app", "echo app is down >&2; exit 3").writeInto(root);
    }

    private String motd() throws Exception {
        return Files.readString(root.resolve("etc/motd"));
    }

    @Test
    void switchesAndRunsChecks() throws Exception {
        SwitchResult first = switcher.switchTo(v1, SwitchMode.SWITCH);
        assertEquals(new SwitchResult(0, 1, true, true, false, first.checks(), first.message()), first);
        assertEquals("v1\n", motd());
        SwitchResult second = switcher.switchTo(v2, SwitchMode.SWITCH);
        assertTrue(second.healthy(), second.message());
        assertEquals(List.of(1, 2), List.of(second.fromGeneration(), second.toGeneration()));
        assertEquals("v2\n", motd());
        AgentStatus status = switcher.status();
        assertEquals(Optional.of("web-1"), status.host());
        assertEquals(Optional.of(v2), status.activeSystem());
        assertEquals(2, status.defaultGeneration());
    }

    @Test
    void failingCheckRollsBackToThePreviousGeneration() throws Exception {
        switcher.switchTo(v1, SwitchMode.SWITCH);
        SwitchResult result = switcher.switchTo(broken, SwitchMode.SWITCH);

        assertTrue(result.rolledBack());
        assertFalse(result.healthy());
        assertEquals(1, result.fromGeneration());
        assertEquals(2, result.toGeneration());
        assertEquals("app", result.firstFailure().orElseThrow().name());
        assertEquals(2, result.firstFailure().orElseThrow().attempts());
        assertTrue(result.firstFailure().orElseThrow().output().contains("app is down"), result.message());
        assertTrue(result.message().contains("health check 'app' failed"), result.message());
        assertEquals(1, profile.currentNumber().getAsInt());
        assertEquals("v1\n", motd());
        assertEquals(Optional.of(v1), switcher.status().activeSystem());
        // generation 2 stays (as in Nix): the next different system becomes 3
        assertEquals(3, switcher.switchTo(v2, SwitchMode.SWITCH).toGeneration());
    }

    @Test
    void unchangedRedeployMakesNoGeneration() {
        switcher.switchTo(v1, SwitchMode.SWITCH);
        SwitchResult again = switcher.switchTo(v1, SwitchMode.SWITCH);
        assertFalse(again.changed());
        assertTrue(again.healthy());
        assertEquals(1, again.checks().size(), "checks still run");
        assertEquals(List.of(1, 1), List.of(again.fromGeneration(), again.toGeneration()));
        assertEquals(1, profile.generations().size());
    }

    @Test
    void firstSystemFailingLeavesNothingBehind() {
        SwitchResult result = switcher.switchTo(broken, SwitchMode.SWITCH);
        assertTrue(result.rolledBack());
        assertTrue(profile.currentNumber().isEmpty());
        assertFalse(Files.exists(root.resolve("etc/motd")));
        assertTrue(switcher.status().activeSystem().isEmpty());
    }

    @Test
    void testModeDoesNotChangeTheDefaultAndBootDoesNotActivate() throws Exception {
        switcher.switchTo(v1, SwitchMode.SWITCH);
        SwitchResult test = switcher.switchTo(v2, SwitchMode.TEST);
        assertTrue(test.healthy(), test.message());
        assertEquals("v2\n", motd());
        assertEquals(1, profile.currentNumber().getAsInt());
        switcher.activateDefault();  // what an agent restart does
        assertEquals("v1\n", motd());

        SwitchResult boot = switcher.switchTo(v2, SwitchMode.BOOT);
        assertEquals(2, boot.toGeneration());
        assertEquals("v1\n", motd());
        switcher.activateDefault();
        assertEquals("v2\n", motd());
    }

    @Test
    void dryActivateSaysWhatWouldChange() throws Exception {
        switcher.switchTo(v1, SwitchMode.SWITCH);
        SwitchResult dry = switcher.switchTo(v2, SwitchMode.DRY_ACTIVATE);
        assertTrue(dry.changed());
        assertEquals("would activate " + v2 + "; etc: +extra ~motd", dry.message());
        assertEquals("v1\n", motd());
        assertEquals(1, profile.generations().size());
    }

    @Test
    void explicitRollback() throws Exception {
        switcher.switchTo(v1, SwitchMode.SWITCH);
        switcher.switchTo(v2, SwitchMode.SWITCH);
        SwitchResult back = switcher.rollback(OptionalInt.empty());
        assertEquals(List.of(2, 1), List.of(back.fromGeneration(), back.toGeneration()));
        assertEquals("v1\n", motd());
        assertEquals(2, switcher.rollback(OptionalInt.of(2)).toGeneration());
        assertEquals("v2\n", motd());
        AgentException e = assertThrows(AgentException.class, () -> switcher.rollback(OptionalInt.of(7)));
        assertEquals("profile version 7 does not exist", e.getMessage());
    }

    @Test
    void refusesPathsNotInTheStore() {
        AgentException e = assertThrows(AgentException.class,
                () -> switcher.switchTo("/flotilla/store/00000000000000000000000000000000-missing", SwitchMode.SWITCH));
        assertEquals(AgentException.Kind.NOT_IN_STORE, e.kind());
        assertEquals(AgentException.Kind.BAD_REQUEST,
                assertThrows(AgentException.class, () -> switcher.switchTo("/etc/passwd", SwitchMode.SWITCH)).kind());
    }
}
