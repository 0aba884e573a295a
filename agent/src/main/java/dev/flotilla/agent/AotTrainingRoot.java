package dev.flotilla.agent;

import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.TrustedKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Prepares the scratch directory of the launcher's AOT training (bin/flotilla-agent): a root whose default generation
 * is a small system, so that the training start re-activates a system as every real start after the first deployment
 * does, and the cache holds those classes too (without them they are read from the jars and the runtime at each
 * start: about 1 MB of idle RSS). Run in a JVM of its own, before the recorded one, so that what it needs to build
 * the system (NAR writing, signing) stays out of the cache.
 */
@Command(name = "aot-training-root", hidden = true, mixinStandardHelpOptions = true,
        description = "Make DIR/root (a system installed and active), DIR/store-key.pub and DIR/authorized_keys (empty)"
                + " for the launcher's AOT training start.")
final class AotTrainingRoot implements Callable<Integer> {
    @CommandLine.Parameters(paramLabel = "DIR")
    Path dir;

    @Override
    public Integer call() throws Exception {
        SigningKey key = SigningKey.generate("aot-training");
        key.publicKey().write(dir.resolve("store-key.pub"));
        Files.writeString(dir.resolve("authorized_keys"), "");
        Path tree = dir.resolve("system");
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/motd"), "a system for the agent's AOT training start\n");
        Files.writeString(tree.resolve("manifest.json"),
                "{\"version\":1,\"host\":\"aot-training\",\"etc\":{\"motd\":{\"mode\":\"0444\"}}}");
        Agent agent = Agent.open(dir.resolve("root"), StoreDir.DEFAULT, TrustedKeys.of(key.publicKey()), "builtin");
        try {
            StorePath system = agent.store().addTree(tree, "flotilla-system-aot-training", Set.of(), key).path();
            SwitchResult result = agent.switcher().switchTo(system.absolute(), SwitchMode.SWITCH);
            if (!result.healthy() || result.rolledBack()) {
                throw new AgentException(AgentException.Kind.ACTIVATION, "the training system did not activate: " + result.message());
            }
        } finally {
            agent.close();
        }
        return 0;
    }
}
