package dev.flotilla.e2e.store;

import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.e2e.agent.AgentHost;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StorePath;
import dev.flotilla.store.copy.CopyListener;
import dev.flotilla.store.copy.CopyResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #5: a copy whose host dies midway keeps the paths the host had committed, and the rerun sends
 * only the rest. A real agent receives a closure sent slowly (the deploying side pauses after each
 * path, as a slow link would); once the host has registered some paths, and while the copy is still
 * running, the agent is killed with SIGKILL. After a restart its store verifies, every valid path is
 * one the controller sent, whole, and no temporary is left; the rerun sends exactly the paths that
 * were not valid, and then the whole closure is.
 */
@Timeout(120)
class InterruptedCopyTest {
    private static final int PATHS = 120;
    private static final int PATH_BYTES = 256 * 1024;
    /** 120 paths at one per 40 ms: about 5 s of copying, so the host's commits (every second at most) land midway. */
    private static final long PAUSE_MILLIS = 40;
    private static final int KILL_AFTER_VALID = 10;

    @Test
    void aKilledHostKeepsItsCommittedPathsAndTheRerunSendsOnlyTheRest(@TempDir Path dir) throws Exception {
        AgentHost agentHost = new AgentHost(dir.resolve("host"));
        LocalStore controller = agentHost.store;
        Random random = new Random(5);
        Path sources = Files.createDirectories(dir.resolve("sources"));
        Set<StorePath> parts = new HashSet<>();
        for (int i = 0; i < PATHS; i++) {
            Path file = sources.resolve("part-" + i);
            byte[] bytes = new byte[PATH_BYTES];
            random.nextBytes(bytes);
            Files.write(file, bytes);
            parts.add(controller.addTree(file, "part-" + i, Set.of(), agentHost.signer).path());
            Files.delete(file);
        }
        StorePath root = controller.addText("closure-root", "all parts\n", parts, agentHost.signer).path();
        Set<StorePath> closure = controller.closure(List.of(root));

        try (AgentHost agent = agentHost) {
            agent.start();
            CopyListener slowLink = new CopyListener() {
                @Override
                public void pathFinished(PathInfo info) {
                    try {
                        Thread.sleep(PAUSE_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            CompletableFuture<CopyResult> copying;
            try (AgentClient client = agent.connect()) {
                copying = CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.copyClosure(controller, List.of(root), slowLink);
                    } catch (IOException e) {
                        return null; // the host died under it: expected
                    }
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (validOnHost(agent.root) < KILL_AFTER_VALID) {
                    assertFalse(copying.isDone(), "the copy ended before the host had committed "
                            + KILL_AFTER_VALID + " paths: " + copying.getNow(null));
                    assertTrue(System.nanoTime() < deadline, "the host committed nothing within 60 s of copying");
                    Thread.sleep(5);
                }
                assertFalse(copying.isDone(), "the copy must still be running when the host is killed");
                agent.kill9();
                assertFalse(agent.alive());
                assertEquals(null, copying.get(30, TimeUnit.SECONDS), "a copy to a killed host cannot succeed");
            }

            agent.start();
            LocalStore host = new LocalStore(agent.root, StoreDir.DEFAULT);
            assertEquals(List.of(), host.verify(), "store verify after the kill");
            Set<StorePath> kept = host.validPaths();
            assertTrue(kept.size() >= KILL_AFTER_VALID && kept.size() < closure.size(),
                    "kept " + kept.size() + " of " + closure.size() + " paths");
            for (StorePath p : kept) {
                assertTrue(closure.contains(p), p + " is valid on the host but was never sent");
                assertEquals(controller.requireInfo(p).narHash(), host.requireInfo(p).narHash(), "NAR hash of " + p);
            }
            assertEquals(List.of(), temporaries(agent.root), "temporaries left by the killed agent");

            CopyResult rerun;
            try (AgentClient client = agent.connect()) {
                rerun = client.copyClosure(controller, List.of(root), null);
            }
            assertEquals(closure.size() - kept.size(), rerun.pathsSent(), "the rerun sends only what the host lacked");
            long keptBytes = 0;
            for (StorePath p : kept) {
                keptBytes += controller.requireInfo(p).narSize();
            }
            long allBytes = 0;
            for (StorePath p : closure) {
                allBytes += controller.requireInfo(p).narSize();
            }
            assertEquals(allBytes - keptBytes, rerun.narBytesSent());
            LocalStore after = new LocalStore(agent.root, StoreDir.DEFAULT);
            assertEquals(closure, after.validPaths());
            assertEquals(List.of(), after.verify());
            System.out.println("interrupted copy: the killed host kept " + kept.size() + " of " + closure.size()
                    + " paths; the rerun sent " + rerun.pathsSent() + " (" + rerun.narBytesSent() + " NAR bytes)");
        }
    }

    private static int validOnHost(Path root) {
        Path info = root.resolve("flotilla/var/db/info");
        if (!Files.isDirectory(info)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(info)) {
            return (int) entries.filter(e -> e.getFileName().toString().endsWith(".narinfo")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<String> temporaries(Path root) throws IOException {
        Path store = root.resolve(StoreDir.DEFAULT.path().substring(1));
        try (Stream<Path> a = Files.list(store); Stream<Path> b = Files.list(root.resolve("flotilla/var/db/info"))) {
            return Stream.concat(a, b).map(e -> e.getFileName().toString()).filter(n -> n.startsWith(".tmp-"))
                    .collect(Collectors.toList());
        }
    }
}
