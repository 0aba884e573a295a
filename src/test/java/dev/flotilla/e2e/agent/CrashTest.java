package dev.flotilla.e2e.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.store.StorePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 the agent at random points while it switches (profile, /etc, activation script, services,
 * checks, confirmation), {@value #DEFAULT_ROUNDS} times; after each kill the restarted agent must
 * have the host on the old or the new generation, with /etc and the services exactly those of it.
 */
@Timeout(120)
class CrashTest {
    private static final int DEFAULT_ROUNDS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestSystem system(String name) {
        return TestSystem.of("crash").etc("motd", name + "\n").etc("only-" + name, name + "\n").etc("app/" + name + ".conf", name)
                .activation("prepare", "mkdir -p var/" + name)
                .service("app", Map.of("command", "exec sleep 600", "environment", Map.of("VERSION", name)))
                .commandCheck("motd", "grep -q " + name + " etc/motd");
    }

    @Test
    void theHostIsAlwaysOnTheOldOrTheNewGeneration(@TempDir Path dir) throws Exception {
        int rounds = Integer.getInteger("flotilla.crash.rounds", DEFAULT_ROUNDS);
        long seed = Long.getLong("flotilla.crash.seed", System.nanoTime());
        System.out.println("crash test: seed " + seed + " (-Dflotilla.crash.seed to replay)");
        // two hosts killed concurrently, half the rounds each: the same 50 kills in about half the time
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> crashLoop(dir.resolve("h1"), rounds / 2, new Random(seed)));
        String second = crashLoop(dir.resolve("h2"), rounds - rounds / 2, new Random(seed + 1));
        System.out.println("crash test: " + first.join() + "; " + second);
    }

    private String crashLoop(Path dir, int rounds, Random random) {
        try (AgentHost host = new AgentHost(dir)) {
            host.start();
            StorePath a;
            StorePath b;
            try (AgentClient client = host.connect()) {
                a = host.deploy(client, system("a"));
                b = host.deploy(client, system("b"));
                assertTrue(client.switchTo(a, SwitchMode.SWITCH).healthy());
                assertTrue(client.switchTo(b, SwitchMode.SWITCH).healthy());
            }
            host.stop();   // a clean exit writes the class-data archive the restarts below start from
            host.start();
            Map<String, StorePath> systems = Map.of(a.absolute(), a, b.absolute(), b);
            int killedMidSwitch = 0;
            int landedOnNew = 0;
            long startMillis = 0;
            for (int round = 0; round < rounds; round++) {
                String before = current(host);
                StorePath target = before.equals(a.absolute()) ? b : a;
                long delayMicros = (long) (random.nextDouble() * 350_000);
                try (AgentClient client = host.connect()) {
                    CompletableFuture<?> switching = CompletableFuture.runAsync(() -> {
                        try {
                            client.switchTo(target, SwitchMode.SWITCH);   // switch, checks, then a confirmation over a new connection
                        } catch (Exception expected) {
                            // the agent died under it
                        }
                    });
                    Thread.sleep(delayMicros / 1000, (int) (delayMicros % 1000) * 1000);
                    if (!switching.isDone()) {
                        killedMidSwitch++;
                    }
                    host.kill9();
                    switching.join();
                }
                startMillis += host.start();   // recovery happens before the agent says it is ready
                String after = current(host);
                assertTrue(after.equals(before) || after.equals(target.absolute()),
                        dir + " round " + round + ": on " + after + ", neither " + before + " nor " + target.absolute());
                if (after.equals(target.absolute())) {
                    landedOnNew++;
                }
                assertConsistent(host, systems.get(after), round);
            }
            return rounds + " kills on " + dir.getFileName() + ", " + killedMidSwitch + " mid-switch, " + landedOnNew
                    + " ended on the new generation, restart " + startMillis / Math.max(1, rounds) + " ms on average";
        } catch (Exception e) {
            throw new IllegalStateException(dir + ": " + e.getMessage(), e);
        }
    }

    /** The toplevel the default generation names, which must also be the active one. */
    private static String current(AgentHost host) throws Exception {
        Path var = host.root.resolve("flotilla/var");
        String generation = Files.readSymbolicLink(var.resolve("profiles/system")).toString();
        String toplevel = Files.readSymbolicLink(var.resolve("profiles").resolve(generation)).toString();
        assertEquals(toplevel, Files.readSymbolicLink(var.resolve("current-system")).toString(), "active = default after a start");
        return toplevel;
    }

    private static void assertConsistent(AgentHost host, StorePath system, int round) throws Exception {
        String name = system.absolute().equals(current(host)) ? null : "?";
        assertEquals(null, name);
        Path etc = host.root.resolve("etc");
        Path systemEtc = host.root.resolve(system.absolute().substring(1)).resolve("etc");
        assertEquals(".." + system.absolute() + "/etc", Files.readSymbolicLink(etc.resolve("static")).toString(), "round " + round);
        Set<String> expected = new TreeSet<>();
        try (Stream<Path> files = Files.walk(systemEtc)) {
            files.filter(Files::isRegularFile).forEach(f -> expected.add(systemEtc.relativize(f).toString()));
        }
        Set<String> linked = new TreeSet<>();
        try (Stream<Path> entries = Files.walk(etc)) {
            for (Path p : entries.filter(p -> Files.isSymbolicLink(p) && !p.equals(etc.resolve("static"))).toList()) {
                linked.add(etc.relativize(p).toString());
                assertTrue(Files.exists(p), "round " + round + ": dangling " + p);
            }
        }
        assertEquals(expected, linked, "round " + round + ": /etc links are exactly the system's");
        for (String n : expected) {
            assertEquals(Files.readString(systemEtc.resolve(n)), Files.readString(etc.resolve(n)), "round " + round + ": " + n);
        }
        assertFalse(Files.exists(host.root.resolve("flotilla/var/pending.json"), LinkOption.NOFOLLOW_LINKS), "round " + round);
        String version = Files.readString(systemEtc.resolve("motd")).strip();
        JsonNode record = JSON.readTree(Files.readAllBytes(host.root.resolve("flotilla/var/services/app.json")));
        assertEquals(version, record.path("spec").path("environment").path("VERSION").asText(), "round " + round + ": service definition");
        List<Long> running = host.serviceProcesses().getOrDefault("app", new ArrayList<>());
        assertEquals(1, running.size(), "round " + round + ": exactly one app process, got " + running);
        assertEquals(running.getFirst().longValue(), record.path("pid").asLong(running.getFirst()), "round " + round + ": the recorded one");
    }
}
