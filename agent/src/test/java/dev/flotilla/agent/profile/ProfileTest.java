package dev.flotilla.agent.profile;

import dev.flotilla.agent.AgentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileTest {
    private static final String SIMPLE = "/flotilla/store/94f9f6i31zwzwbf0kclq1naqxxi4c7v9-simple";
    private static final String DEP = "/flotilla/store/5zs6pwakb4panz97qjqzksvragimzsah-dep";
    private static final String SELFREF = "/flotilla/store/fcdcz40mcj9ghzpavic641cgi5bxygnm-selfref";
    private static final String MULTI = "/flotilla/store/p7ifmjbmlqcdf0shcbiil615vjk752wn-multi";

    @TempDir
    Path root;

    @Test
    void followsTheNixTranscript() throws Exception {
        Profile profile = Profile.system(root);
        profile.set(SIMPLE);
        profile.set(DEP);
        profile.set(DEP);  // same toplevel as the last generation: no new generation
        profile.set(SELFREF);

        Path dir = root.resolve("flotilla/var/profiles");
        assertEquals("system-3-link", Files.readSymbolicLink(dir.resolve("system")).toString());
        assertEquals(SIMPLE, Files.readSymbolicLink(dir.resolve("system-1-link")).toString());
        assertEquals(DEP, Files.readSymbolicLink(dir.resolve("system-2-link")).toString());
        assertEquals(SELFREF, Files.readSymbolicLink(dir.resolve("system-3-link")).toString());
        assertEquals(List.of(1, 2, 3), profile.generations().stream().map(Generation::number).toList());
        assertFalse(Files.exists(dir.resolve("system.lock")), "the lock file is deleted afterwards");

        assertEquals(2, profile.rollback().number());
        assertEquals(1, profile.rollback().number());
        AgentException e = assertThrows(AgentException.class, profile::rollback);
        assertEquals("no profile version older than the current (1) exists", e.getMessage());
        assertEquals("system-1-link", Files.readSymbolicLink(dir.resolve("system")).toString());

        assertEquals(4, profile.set(MULTI).number(), "the next generation is max+1, not current+1");
        assertEquals(2, profile.switchTo(2).number());
        assertEquals(2, profile.currentNumber().getAsInt());
        AgentException missing = assertThrows(AgentException.class, () -> profile.switchTo(9));
        assertEquals("profile version 9 does not exist", missing.getMessage());
    }

    @Test
    void reusesOnlyTheHighestGeneration() {
        Profile profile = Profile.system(root);
        profile.set(SIMPLE);
        profile.set(DEP);
        profile.rollback();
        // generation 1 holds SIMPLE, but the highest (2) does not: Nix makes generation 3
        assertEquals(3, profile.set(SIMPLE).number());
        assertEquals(3, profile.set(SIMPLE).number());
    }

    @Test
    void rollbackSkipsGaps() throws Exception {
        Profile profile = Profile.system(root);
        profile.set(SIMPLE);
        profile.set(DEP);
        profile.set(SELFREF);
        Files.delete(root.resolve("flotilla/var/profiles/system-2-link"));
        assertEquals(1, profile.rollback().number());
    }

    @Test
    void registersGcRootsNamedLikeNix() throws Exception {
        assertEquals("qaic16j84z6403yq0h2fldf3l5yh1qgl", Profile.gcRootName("/nix/var/nix/profiles/demo-1-link"));
        assertEquals("6fd537alhhiwhsmq4l7mspiq553pswgk", Profile.gcRootName("/nix/var/nix/profiles/demo-4-link"));
        Profile.system(root).set(SIMPLE);
        Path gcroot = root.resolve("flotilla/var/gcroots/auto")
                .resolve(Profile.gcRootName("/flotilla/var/profiles/system-1-link"));
        assertTrue(Files.isSymbolicLink(gcroot));
        assertEquals(root.resolve("flotilla/var/profiles/system-1-link").toRealPath(java.nio.file.LinkOption.NOFOLLOW_LINKS),
                gcroot.getParent().resolve(Files.readSymbolicLink(gcroot)).normalize());
    }

    @Test
    void emptyProfileHasNoGenerations() {
        Profile profile = Profile.system(root);
        assertTrue(profile.generations().isEmpty());
        assertTrue(profile.currentNumber().isEmpty());
        assertThrows(AgentException.class, profile::rollback);
    }
}
