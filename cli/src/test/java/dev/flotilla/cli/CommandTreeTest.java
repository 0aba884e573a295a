package dev.flotilla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree main() builds: whole for help, one subcommand when the first argument names it. */
class CommandTreeTest {

    @Test
    void everySubcommandIsRegisteredUnderItsOwnNameWithASummary() {
        CommandLine tree = CommandTree.commandLine();
        List<String> names = List.copyOf(tree.getSubcommands().keySet());
        assertEquals(List.of("deploy", "rollback", "status", "generations", "drift", "store", "build", "diff", "demo", "remote",
                "bootstrap", "eval", "help"), names);
        tree.getSubcommands().forEach((name, sub) -> {
            assertEquals(name, sub.getCommandSpec().name(), "the table's name and the @Command name differ");
            assertTrue(sub.getCommandSpec().usageMessage().header().length > 0, name + " has no summary line");
        });
    }

    @Test
    void aKnownFirstArgumentBuildsOnlyThatSubcommand() {
        assertEquals(Set.of("eval", "help"), CommandTree.commandLine("eval").getSubcommands().keySet());
        assertEquals(Set.of("store", "help"), CommandTree.commandLine("store").getSubcommands().keySet());
    }

    @Test
    void anythingElseBuildsTheWholeTreeSoHelpAndSuggestionsSeeEveryCommand() {
        for (String first : new String[] {null, "--help", "help", "evl", "--version"}) {
            assertEquals(13, CommandTree.commandLine(first).getSubcommands().size(), "first argument " + first);
        }
    }

    @Test
    void aSubcommandBuiltAloneKeepsItsFullNameAndExitCodes() {
        StringWriter out = new StringWriter();
        CommandLine alone = CommandTree.commandLine("eval");
        alone.setOut(new PrintWriter(out));
        assertEquals(0, alone.execute("eval", "--help"));
        assertTrue(out.toString().contains("Usage: flotilla eval "), out.toString());

        StringWriter err = new StringWriter();
        CommandLine typo = CommandTree.commandLine("eval");
        typo.setErr(new PrintWriter(err));
        assertEquals(CommandLine.ExitCode.USAGE, typo.execute("eval", "--no-such-flag"));
        assertFalse(err.toString().isEmpty());
    }
}
