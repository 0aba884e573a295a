package dev.flotilla.e2e.store;

import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.e2e.agent.AgentHost;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.SigningKey;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #5: kill -9 the agent at random points during a closure copy, {@value #DEFAULT_ROUNDS} times
 * ({@code -Dflotilla.copycrash.rounds}); after every kill and restart the host's store holds only
 * complete, verified paths ({@code flotilla store verify} finds nothing, every valid path has the NAR
 * hash the deploying side recorded, no temporary of the dead agent is left), and at the end a rerun
 * of the copy completes with the whole closure valid.
 *
 * <p>Every round adds fresh paths to the closure (20 small, one of 3 MiB, so each copy has megabytes to
 * send) on top of a shared base of 150 small and four 3 MiB paths. Two kinds of kill: at a random moment
 * after the copy starts (the bound adapts to how long copies take, so kills land during the handshake,
 * the transfer, the commit and after it), and, in a third of the rounds, 0-20 ms after the host's batch
 * renames its first content into place (between contents, metadata temporaries and their renames).
 * Randomness is seeded ({@code -Dflotilla.copycrash.seed}); the seed is printed, and named on failure.
 */
@Timeout(180)
class CopyCrashTest {
    private static final int DEFAULT_ROUNDS = 50;
    /** The first kill comes within this long after the copy starts; the bound then adapts to how long copies take. */
    private static final long INITIAL_MAX_DELAY_MICROS = 300_000;
    private static final int SMALL_PATHS = 150;
    private static final int BASE_LARGE_PATHS = 4;
    private static final int ROUND_SMALL_PATHS = 20;
    private static final int LARGE_BYTES = 3 << 20;

    @Test
    void killedCopiesLeaveNoPartialOrCorruptPathAndARerunCompletes(@TempDir Path dir) throws Exception {
        int rounds = Integer.getInteger("flotilla.copycrash.rounds", DEFAULT_ROUNDS);
        long seed = Long.getLong("flotilla.copycrash.seed", System.nanoTime());
        System.out.println("copy crash test: seed " + seed + " (-Dflotilla.copycrash.seed to replay)");
        try {
            System.out.println("copy crash test: " + crashLoop(dir, rounds, new Random(seed)));
        } catch (Throwable t) {
            throw new AssertionError("copy crash test failed with seed " + seed + " (-Dflotilla.copycrash.seed="
                    + seed + " to replay): " + t.getMessage(), t);
        }
    }

    private String crashLoop(Path dir, int rounds, Random random) throws Exception {
        long t0 = System.nanoTime();
        // The agent host brings the deploying side's store and the signing key its agent trusts.
        AgentHost agentHost = new AgentHost(dir.resolve("host"));
        SigningKey signer = agentHost.signer;
        LocalStore controller = agentHost.store;
        Path sources = Files.createDirectories(dir.resolve("sources"));

        // the shared base: a web of small text paths and a few large trees referring to them
        List<StorePath> small = new ArrayList<>();
        for (int i = 0; i < SMALL_PATHS; i++) {
            Set<StorePath> refs = new HashSet<>();
            for (int k = 0; k < Math.min(3, small.size()); k++) {
                refs.add(small.get(random.nextInt(small.size())));
            }
            small.add(controller.addText("small-" + i, "small path " + i + " " + random.nextLong() + "\n", refs, signer).path());
        }
        List<StorePath> base = new ArrayList<>(small);
        for (int i = 0; i < BASE_LARGE_PATHS; i++) {
            base.add(largePath(controller, signer, sources, "base-large-" + i, Set.of(small.get(random.nextInt(small.size()))), random));
        }
        StorePath baseRoot = controller.addText("base-root", "base\n", Set.copyOf(base), signer).path();

        int killedMidCopy = 0;
        int committedByKilledCopies = 0;
        int killedAwaitingResult = 0;
        int commitKills = 0;
        long copiedPathsWhenKilled = 0;
        long maxDelayMicros = INITIAL_MAX_DELAY_MICROS;
        long restartMillis = 0;
        List<StorePath> allRoots = new ArrayList<>(List.of(baseRoot));
        try (AgentHost agent = agentHost) {
            agent.start();
            agent.stop();   // a clean exit writes the class-data archive the restarts below start from
            agent.start();
            for (int round = 0; round < rounds; round++) {
                // fresh paths each round (small ones and a large one), so every copy has megabytes left to send;
                // the base comes along until one copy has completed
                Set<StorePath> roundRefs = new HashSet<>(List.of(baseRoot));
                for (int i = 0; i < ROUND_SMALL_PATHS; i++) {
                    roundRefs.add(controller.addText("round-" + round + "-small-" + i, round + "/" + i + " " + random.nextLong() + "\n",
                            Set.of(small.get(random.nextInt(small.size()))), signer).path());
                }
                roundRefs.add(largePath(controller, signer, sources, "round-" + round + "-large",
                        Set.of(small.get(random.nextInt(small.size()))), random));
                StorePath roundRoot = controller.addText("round-" + round, "round " + round + "\n", roundRefs, signer).path();
                allRoots.add(roundRoot);
                int validBefore = new LocalStore(agent.root, StoreDir.DEFAULT).validPaths().size();
                long delayMicros = (long) (random.nextDouble() * maxDelayMicros);
                boolean atCommit = random.nextInt(3) == 0;
                Path storePhysical = agent.root.resolve(StoreDir.DEFAULT.path().substring(1));
                Set<String> contentBefore = contentNames(storePhysical);
                CopyResult[] completed = new CopyResult[1];
                AtomicInteger finished = new AtomicInteger();
                AtomicInteger toSend = new AtomicInteger(-1);
                CopyListener counting = new CopyListener() {
                    @Override
                    public void missingPaths(List<StorePath> paths) {
                        toSend.set(paths.size());
                    }

                    @Override
                    public void pathFinished(PathInfo info) {
                        finished.incrementAndGet();
                    }
                };
                long killedPid;
                try (AgentClient client = agent.connect()) {
                    CompletableFuture<?> copying = CompletableFuture.runAsync(() -> {
                        try {
                            completed[0] = client.copyClosure(controller, List.of(roundRoot), counting);
                        } catch (Exception expected) {
                            // the agent died under it
                        }
                    });
                    if (atCommit) {
                        // wait for the host's batch to rename the first content into place, then kill within 0-20 ms:
                        // between the contents' renames, the metadata's temporaries and their renames
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        boolean started = false;
                        while (!copying.isDone() && System.nanoTime() < deadline && !(started = newContent(storePhysical, contentBefore))) {
                            Thread.onSpinWait();
                        }
                        if (started) {
                            commitKills++;
                            delayMicros = random.nextInt(20_000);
                            Thread.sleep(delayMicros / 1000, (int) (delayMicros % 1000) * 1000);
                        }
                    } else {
                        Thread.sleep(delayMicros / 1000, (int) (delayMicros % 1000) * 1000);
                    }
                    boolean midCopy = !copying.isDone();
                    killedPid = agent.pid();
                    agent.kill9();
                    assertFalse(agent.alive(), "the agent did not die of SIGKILL");
                    copying.get(30, TimeUnit.SECONDS);
                    if (midCopy && completed[0] == null) {
                        killedMidCopy++;
                        copiedPathsWhenKilled += finished.get();
                        if (finished.get() == toSend.get()) {
                            killedAwaitingResult++;   // everything sent: the host was committing (or answering)
                        }
                        // kill within the copy's span, its commit, and a little after it: widen until copies complete
                        if (!atCommit) {
                            maxDelayMicros = Math.min(maxDelayMicros * 5 / 4, 2_000_000);
                        }
                    } else if (completed[0] != null && !atCommit) {
                        maxDelayMicros = Math.max(50_000, completed[0].elapsed().toNanos() / 1000 * 3 / 2);
                    }
                }
                restartMillis += agent.start();
                String when = "round " + round + " (kill " + delayMicros / 1000 + " ms after the "
                        + (atCommit ? "host began committing" : "copy started") + ")";
                LocalStore host = assertHostStoreSound(agent.root, controller, killedPid, when);
                if (completed[0] == null) {
                    committedByKilledCopies += host.validPaths().size() - validBefore;
                }
            }

            // the rerun: one copy of everything completes, and the host then has the whole closure valid
            Set<StorePath> closure = controller.closure(allRoots);
            CopyResult result;
            try (AgentClient client = agent.connect()) {
                result = client.copyClosure(controller, allRoots, null);
            }
            assertEquals(closure.size(), result.pathsInClosure(), "the rerun saw the whole closure");
            LocalStore host = assertHostStoreSound(agent.root, controller, -1, "after the rerun");
            Set<StorePath> missing = closure.stream().filter(p -> !host.isValid(p)).collect(Collectors.toSet());
            assertEquals(Set.of(), missing, "paths of the closure not valid on the host after the rerun");
            return rounds + " kills, " + killedMidCopy + " mid-copy (" + copiedPathsWhenKilled + " paths sent, "
                    + committedByKilledCopies + " of them committed; "
                    + killedAwaitingResult + " after the last NAR was handed over; " + commitKills + " aimed at the host's commit), " + (rounds - killedMidCopy) + " after the copy completed; "
                    + "rerun sent " + result.pathsSent() + " of " + closure.size() + " paths (" + result.narBytesSent() / (1 << 20)
                    + " MiB) in " + result.elapsed().toMillis() + " ms, final kill bound " + maxDelayMicros / 1000 + " ms, "
                    + "restart " + restartMillis / Math.max(1, rounds) + " ms on average, "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms in all";
        }
    }

    private static Set<String> contentNames(Path storePhysical) throws IOException {
        try (Stream<Path> entries = Files.list(storePhysical)) {
            return entries.map(e -> e.getFileName().toString()).filter(n -> !n.startsWith(".")).collect(Collectors.toSet());
        }
    }

    /** Whether content has been renamed into place (a name without a leading dot) since {@code before}. */
    private static boolean newContent(Path storePhysical, Set<String> before) {
        try (Stream<Path> entries = Files.list(storePhysical)) {
            return entries.map(e -> e.getFileName().toString()).anyMatch(n -> !n.startsWith(".") && !before.contains(n));
        } catch (IOException e) {
            return false;
        }
    }

    /** A tree of two incompressible files, {@link #LARGE_BYTES} in all, added to the controller's store (signed). */
    private static StorePath largePath(LocalStore store, SigningKey signer, Path sources, String name, Set<StorePath> refs,
                                       Random random) throws IOException {
        Path tree = Files.createDirectories(sources.resolve(name));
        byte[] bytes = new byte[LARGE_BYTES / 2];
        for (String file : List.of("a.bin", "b.bin")) {
            random.nextBytes(bytes);
            Files.write(tree.resolve(file), bytes);
        }
        Files.writeString(tree.resolve("name"), name + "\n");
        StorePath path = store.addTree(tree, name, refs, signer).path();
        try (Stream<Path> files = Files.list(tree)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(tree);
        return path;
    }

    /**
     * What {@code flotilla store verify} checks (every valid path's content against its metadata, its
     * references valid), plus: every valid path is one the controller sent, with the NAR hash and size
     * the controller recorded, and no temporary of the killed agent is left.
     */
    private static LocalStore assertHostStoreSound(Path root, LocalStore controller, long killedPid, String when) throws IOException {
        LocalStore host = new LocalStore(root, StoreDir.DEFAULT);
        assertEquals(List.of(), host.verify(), when + ": store verify");
        for (StorePath p : host.validPaths()) {
            PathInfo got = host.requireInfo(p);
            PathInfo sent = controller.info(p).orElseThrow(() -> new AssertionError(when + ": " + p + " valid on the host, unknown to the controller"));
            assertEquals(sent.narHash(), got.narHash(), when + ": NAR hash of " + p);
            assertEquals(sent.narSize(), got.narSize(), when + ": NAR size of " + p);
            assertEquals(sent.references(), got.references(), when + ": references of " + p);
        }
        if (killedPid > 0) {
            for (Path d : List.of(host.physicalRoot().resolve(StoreDir.DEFAULT.path().substring(1)), root.resolve("flotilla/var/db/info"))) {
                try (Stream<Path> entries = Files.list(d)) {
                    List<String> left = entries.map(e -> e.getFileName().toString())
                            .filter(n -> n.startsWith(".tmp-" + killedPid + "-")).toList();
                    assertEquals(List.of(), left, when + ": temporaries of the killed agent " + killedPid + " in " + d);
                }
            }
        }
        return host;
    }

    /** One real agent process on a fixed root, killed with SIGKILL and restarted on the same root. */
}
