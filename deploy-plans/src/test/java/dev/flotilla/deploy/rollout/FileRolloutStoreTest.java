package dev.flotilla.deploy.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.deploy.Step;
import dev.flotilla.deploy.plan.BuiltinPlans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRolloutStoreTest {

    private static RolloutRecord sample(String id, Instant created) {
        FakeFleet f = new FakeFleet(3, "web-2");
        RolloutRecord r = RolloutEngine.plan(id, Goal.DEPLOY, "deploy fleet/", BuiltinPlans.CANARY, f.targets(), f.systems("v1"), Map.of(), created);
        List<HostRecord> hosts = r.hosts().stream().map(h -> h.name().equals("web-2")
                ? h.withOrigin(3, "/flotilla/store/x-old").moved(HostState.FAILED, "health check 'app' failed", created).withFailure(Step.CHECK, "health check 'app' failed")
                : h).toList();
        List<StageRecord> stages = r.stages().stream().map(s -> s.approve().pausedUntil(created.plusSeconds(60))).toList();
        return r.with(RolloutStatus.HALTED, "1 failure(s)", stages, hosts, created.plusSeconds(5));
    }

    @Test
    void savesAndReadsBackEveryField(@TempDir Path dir) throws Exception {
        FileRolloutStore store = new FileRolloutStore(dir.resolve("rollouts"));
        RolloutRecord r = sample("20250101-000000-abcd", Instant.parse("2025-01-01T00:00:00Z"));
        store.save(r);
        assertEquals(Optional.of(r), store.load(r.id()));
        assertEquals(r.parsedPlan().name(), "canary");
        HostRecord failed = store.load(r.id()).orElseThrow().host("web-2").orElseThrow();
        assertEquals(Optional.of(Step.CHECK), failed.failedStep());
        assertEquals(3, failed.fromGeneration());
        try (var files = Files.list(dir.resolve("rollouts"))) {
            assertEquals(List.of(r.id() + ".json"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file is left");
        }
    }

    @Test
    void listsNewestFirstAndRefusesOddIds(@TempDir Path dir) throws Exception {
        FileRolloutStore store = new FileRolloutStore(dir);
        store.save(sample("a", Instant.parse("2025-01-01T00:00:00Z")));
        store.save(sample("b", Instant.parse("2025-01-02T00:00:00Z")));
        store.save(sample("a", Instant.parse("2025-01-01T00:00:00Z")));
        assertEquals(List.of("b", "a"), store.list().stream().map(RolloutRecord::id).toList());
        assertThrows(IllegalArgumentException.class, () -> store.load("../etc/passwd"));
        assertEquals(Optional.empty(), store.load("nope"));
    }

    @Test
    void aClaimIsExclusiveUntilReleased(@TempDir Path dir) throws Exception {
        FileRolloutStore store = new FileRolloutStore(dir);
        try (RolloutStore.Claim c = store.claim("x")) {
            assertThrows(RolloutStore.RolloutBusyException.class, () -> store.claim("x"));
            store.claim("y").close();
        }
        store.claim("x").close();
    }

    @Test
    void aDamagedFileIsReportedWithItsName(@TempDir Path dir) throws Exception {
        FileRolloutStore store = new FileRolloutStore(dir);
        Files.writeString(dir.resolve("bad.json"), "{\"version\": 99}");
        var e = assertThrows(java.io.IOException.class, () -> store.load("bad"));
        assertTrue(e.getMessage().contains("bad.json: unsupported rollout format version 99"), e.getMessage());
    }
}
