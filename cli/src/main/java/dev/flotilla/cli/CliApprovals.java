package dev.flotilla.cli;

import dev.flotilla.deploy.rollout.Approvals;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;

/**
 * Approval gates on the command line: stages named with {@code --approve} (or all, with {@code --yes}) pass;
 * otherwise, on a terminal, the operator is asked; without one the rollout stops, resumable, waiting.
 */
final class CliApprovals implements Approvals {

    private final Set<String> approved;
    private final boolean all;
    private final PrintStream prompt;

    CliApprovals(Set<String> approved, boolean all, PrintStream prompt) {
        this.approved = Set.copyOf(approved);
        this.all = all;
        this.prompt = prompt;
    }

    @Override
    public Decision decide(Request r) {
        if (all || approved.contains(r.stage())) {
            return Decision.APPROVED;
        }
        Console console = System.console();
        if (console == null || !isTerminal(console)) {
            prompt.println("stage " + r.stage() + " needs approval: continue with  flotilla deploy --resume " + r.rollout()
                    + " --approve " + r.stage());
            return Decision.LATER;
        }
        prompt.printf("Start stage %d/%d '%s' on %d host(s) (%s)? [y/N] ", r.number(), r.of(), r.stage(), r.hosts().size(),
                String.join(", ", r.hosts().subList(0, Math.min(5, r.hosts().size()))) + (r.hosts().size() > 5 ? ", ..." : ""));
        prompt.flush();
        try {
            BufferedReader in = new BufferedReader(console.reader());
            String answer = in.readLine();
            return answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("y") ? Decision.APPROVED : Decision.REJECTED;
        } catch (IOException e) {
            return Decision.LATER;
        }
    }

    /** Java 22 added Console.isTerminal(); on 21 a console exists only on a terminal. */
    private static boolean isTerminal(Console c) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
