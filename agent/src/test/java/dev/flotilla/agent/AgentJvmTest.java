package dev.flotilla.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AgentJvmTest {

    @Test
    void theBundleLauncherSpellsTheSameOptions() throws Exception {
        String launcher = Files.readString(Path.of("src/main/dist/flotilla-agent"));
        Matcher m = Pattern.compile("(?m)^flags=\"([^\"]*)\"").matcher(launcher);
        assertTrue(m.find(), "no flags=\"...\" in the launcher");
        List<String> shipped = Arrays.asList(m.group(1).trim().split("\\s+"));
        List<String> expected = new ArrayList<>(AgentJvm.FOOTPRINT);
        expected.addAll(AgentJvm.jit(Path.of("$home/lib/jit-directives.json")));
        assertEquals(expected, shipped);
    }

    @Test
    void aJvmStartsWithTheOptionsAndKeepsStandardOutputClean() throws Exception {
        // The agent's stdout carries its ready line (and, with serve --stdio, the protocol): the JVM must add nothing.
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(AgentJvm.flags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentJvm.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(String.join("\n", AgentJvm.flags()) + "\n", out);
    }

    @Test
    void theDirectivesFileHoldsTheResourceAndKeepsC2ToCiphersAndDigests() throws Exception {
        byte[] resource;
        try (InputStream in = AgentJvm.class.getResourceAsStream(AgentJvm.DIRECTIVES_RESOURCE)) {
            resource = in.readAllBytes();
        }
        Path file = AgentJvm.directivesFile();
        assertEquals(file, AgentJvm.directivesFile(), "one file per content");
        assertTrue(Arrays.equals(resource, Files.readAllBytes(file)));
        String text = new String(resource, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"com/sun/crypto/provider/*.*\"") && text.contains("\"sun/security/provider/*.*\""), text);
        assertTrue(text.indexOf("c2: { Exclude: false }") < text.indexOf("match: \"*.*\", c2: { Exclude: true }"),
                "the exceptions come first: the JVM applies the first directive that matches");
    }
}
