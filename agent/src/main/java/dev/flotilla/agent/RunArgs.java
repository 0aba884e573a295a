package dev.flotilla.agent;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code run} command line read without picocli, so that the long-running server never loads it
 * (about 170 classes and their reflection: memory for the agent's whole life, and start time).
 * Only the plain, complete form is read here; anything else (help, version, an unknown or missing
 * option) returns empty and picocli parses it, so help and error messages have one source.
 */
final class RunArgs {
    private RunArgs() {
    }

    /** {@code args} after {@code run}, as a ready {@link AgentMain.Run}, or empty when picocli must parse them. */
    static Optional<AgentMain.Run> parse(String[] args) {
        AgentMain.Run run = new AgentMain.Run();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value;
            int eq = name.indexOf('=');
            if (name.startsWith("--") && eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return Optional.empty();
            }
            if (!set(run, name, value)) {
                return Optional.empty();
            }
        }
        boolean complete = run.store.root != null && !run.store.trustedKeys.isEmpty() && run.listen != null
                && run.hostKey != null && run.authorizedKeys != null;
        return complete ? Optional.of(run) : Optional.empty();
    }

    private static boolean set(AgentMain.Run run, String name, String value) {
        switch (name) {
            case "--root" -> run.store.root = Path.of(value);
            case "--trusted-key" -> run.store.trustedKeys.add(Path.of(value));
            case "--store-dir" -> run.store.storeDir = value;
            case "--services" -> run.store.services = value;
            case "--listen" -> run.listen = value;
            case "--host-key" -> run.hostKey = Path.of(value);
            case "--authorized-keys" -> run.authorizedKeys = Path.of(value);
            default -> {
                return false;
            }
        }
        return true;
    }
}
