package dev.flotilla.cli.store;

import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.agent.client.HostKeyPin;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.copy.CopyListener;
import dev.flotilla.store.copy.CopyResult;
import dev.flotilla.store.copy.StoreProtocolClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla store copy --to HOST:PORT ROOT...}: copies closures to one agent, outside any
 * rollout. Hidden: it exists for benchmarks and debugging ({@code bench/copy}); deployments copy
 * through the deployment engine.
 */
@Command(name = "copy",
        hidden = true,
        mixinStandardHelpOptions = true,
        description = "Copy the closure of store paths to an agent's store (SSH subsystem flotilla-store).",
        footer = {"", "Example:",
            "  flotilla store copy --to 10.0.0.2:2222 --identity id_ed25519 --host-key host.pub /flotilla/store/<hash>-system"})
final class CopyCommand implements Callable<Integer> {
    @Mixin
    StoreLocation location;

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT", description = "The agent.")
    String to;

    @Option(names = "--identity", required = true, paramLabel = "FILE", description = "SSH private key the agent authorizes.")
    Path identity;

    @Option(names = "--host-key", required = true, paramLabel = "FILE", description = "The agent's public host key (pinned).")
    Path hostKey;

    @Option(names = "--compress", description = "Compress with zstd if the agent can decompress it (pays on slow links).")
    boolean compress;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS", description = "Connect and channel timeout.")
    int timeoutSeconds;

    @Option(names = "--roots-from", paramLabel = "FILE", description = "Read more store paths from FILE, one per line.")
    Path rootsFrom;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Store paths whose closures to copy.")
    List<String> roots = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            LocalStore store = location.open();
            List<StorePath> paths = new ArrayList<>();
            List<String> texts = new ArrayList<>(roots);
            if (rootsFrom != null) {
                Files.readAllLines(rootsFrom).stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(texts::add);
            }
            for (String r : texts) {
                paths.add(StoreLocation.parsePath(store.storeDir(), r));
            }
            int colon = to.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--to must be HOST:PORT, got '" + to + "'");
            }
            String host = to.substring(0, colon);
            int port = Integer.parseInt(to.substring(colon + 1));
            StoreProtocolClient client = new StoreProtocolClient(store,
                    compress ? StoreProtocolClient.Options.ZSTD : StoreProtocolClient.Options.DEFAULT);
            CopyResult r;
            try (AgentClient agent = AgentClient.connect(host, port, SshKeys.load(identity),
                    HostKeyPin.ofPublicKeyFile(hostKey), Duration.ofSeconds(timeoutSeconds))) {
                r = agent.onSubsystem("flotilla-store", (in, out) -> client.copyClosure(paths, in, out, CopyListener.NONE));
            }
            err.printf("copied %d of %d path(s): %d NAR bytes as %d wire bytes in %.3f s%n", r.pathsSent(),
                    r.pathsInClosure(), r.narBytesSent(), r.wireBytesSent(), r.elapsed().toNanos() / 1e9);
            err.flush();
            return StoreCommand.OK;
        } catch (IOException | RuntimeException e) {
            return StoreCommand.fail(spec, e);
        }
    }
}
