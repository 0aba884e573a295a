package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API used by the other modules. */
class EvaluatorApiTest {
    @TempDir
    Path dir;

    @Test
    void evalFileToJavaCallsTheFunctionWithArgsAndConverts() throws Exception {
        Files.writeString(dir.resolve("lib.nix"), "{ double = x: x * 2; }");
        Path host = dir.resolve("host.nix");
        Files.writeString(host, """
                { name, port ? 22, tags, lib ? import ./lib.nix }:
                { hostName = name; port = lib.double port; tags = map (t: "tag-" + t) tags;
                  ratio = 0.5; enabled = true; nothing = null; self = ./host.nix;
                  nested = { z = 1; a = [ { b = "é"; } ]; }; }
                """);
        Object r = TestSupport.evaluator().evalFileToJava(host, Map.of("name", "web1", "tags", List.of("a", "b"), "port", 8080));
        assertEquals(Map.of("hostName", "web1", "port", 16160L, "tags", List.of("tag-a", "tag-b"), "ratio", 0.5,
                "enabled", true, "self", host.toString(), "nested", Map.of("z", 1L, "a", List.of(Map.of("b", "é")))),
                withoutNulls(r));
        assertTrue(((Map<?, ?>) r).containsKey("nothing"));
        assertEquals(List.of("enabled", "hostName", "nested", "nothing", "port", "ratio", "self", "tags"),
                new ArrayList<>(((Map<?, ?>) r).keySet()));
    }

    private static Object withoutNulls(Object r) {
        Map<Object, Object> m = new java.util.HashMap<>((Map<?, ?>) r);
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }

    @Test
    void concurrentEvaluationsShareOneEvaluator() throws Exception {
        Files.writeString(dir.resolve("common.nix"), "{ base = 100; }");
        Evaluator ev = TestSupport.evaluator();
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
            Path f = dir.resolve("h" + k + ".nix");
            Files.writeString(f, "{ n }: (import ./common.nix).base + n + " + k);
            files.add(f);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (Path f : files) results.add(pool.submit(() -> ev.evalFileToJava(f, Map.of("n", 1))));
            for (int k = 0; k < files.size(); k++) assertEquals(101L + k, results.get(k).get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void evalStringAndErrors() {
        Evaluator ev = TestSupport.evaluator();
        assertEquals(new NixInt(3), ev.evalString("1 + 2", dir));
        EvalException e = org.junit.jupiter.api.Assertions.assertThrows(EvalException.class,
                () -> Deep.force(ev.evalString("{ a = throw \"bad host\"; }", dir)));
        assertTrue(e.getMessage().endsWith("bad host"), e.getMessage());
        assertTrue(e.getMessage().startsWith("(string):1:7: "), e.getMessage());
    }
}
