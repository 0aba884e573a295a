import dev.flotilla.agent.SwitchMode;
import dev.flotilla.agent.SwitchOptions;
import dev.flotilla.agent.SwitchResult;
import dev.flotilla.agent.client.AgentClient;
import dev.flotilla.agent.client.HostKeyPin;
import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import dev.flotilla.store.StorePath;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Starts real agents as they ship: the bundle's launcher ({@code bin/flotilla-agent run}) on the bundle's trimmed
 * runtime, with the options and the AOT cache it makes itself. Measures start time, idle RSS, and switch latency over
 * SSH (two systems of 20 /etc files, no services, no checks; switch without confirmation, as a bare switch; also
 * switch + confirm over a new connection). Arguments: work directory, switches, bundle directory.
 */
public final class AgentBench {
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int switches = Integer.parseInt(args[1]);
        Path bundle = Path.of(args[2]);
        Path root = Files.createDirectories(work.resolve("root"));
        KeyPair identity = SshKeys.generate(work.resolve("id"), "bench");
        Files.copy(SshKeys.publicKeyFile(work.resolve("id")), work.resolve("authorized_keys"));
        SigningKey signer = SigningKey.generate("bench-1");
        signer.publicKey().write(work.resolve("store.pub"));
        LocalStore store = new LocalStore(work.resolve("controller"), StoreDir.DEFAULT);
        // The launcher's AOT cache (trained by the first start, when it is missing), or none with AGENT_BENCH_CDS=off.
        String cache = System.getenv().getOrDefault("AGENT_BENCH_CDS", "on").equals("off") ? "off" : work.resolve("agent.aot").toString();
        System.out.println("aot_cache=" + cache);

        // 1. a first run (the launcher trains its AOT cache first) installs a system
        Agent agent = Agent.start(bundle, work, root, cache);
        StorePath a;
        StorePath b;
        try (AgentClient client = agent.connect(identity)) {
            a = build(store, signer, work, "a");
            b = build(store, signer, work, "b");
            client.copyClosure(store, List.of(a, b), null);
            client.switchTo(a, SwitchMode.SWITCH);
        }
        agent.stop();

        // 2. start time: median of 5 starts on a host with an active system (re-activated at each start)
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            agent = Agent.start(bundle, work, root, cache);
            starts.add(agent.startMillis);
            if (i < 4) {
                agent.stop();
            }
        }
        Collections.sort(starts);

        // 3. idle RSS, 10 s after the start: the JVM hands its compilers' arena chunks back to malloc every 5 s, and
        // the native heap is trimmed every second after that (-XX:TrimNativeHeapInterval=1000)
        Thread.sleep(10_000);
        long idleKb = agent.rssKb();
        if (System.getenv("AGENT_BENCH_DETAIL") != null) {
            agent.printBreakdown();
        }

        // 4. switch latency, a <-> b, no confirmation wait (a bare switch), then with confirm
        List<Long> plain = new ArrayList<>();
        List<Long> confirmed = new ArrayList<>();
        SwitchOptions noConfirm = SwitchOptions.defaults().withConfirmTimeout(Duration.ZERO);
        try (AgentClient client = agent.connect(identity)) {
            for (int i = 0; i < switches + 20; i++) {
                long t0 = System.nanoTime();
                SwitchResult r = client.switchTo(i % 2 == 0 ? b : a, SwitchMode.SWITCH, noConfirm);
                long t = System.nanoTime() - t0;
                if (!r.healthy() || r.rolledBack()) {
                    throw new IllegalStateException(r.message());
                }
                if (i >= 20) {
                    plain.add(t);   // the first 20 warm up the agent's JIT
                }
            }
            for (int i = 0; i < Math.max(20, switches / 5); i++) {
                long t0 = System.nanoTime();
                client.switchTo(i % 2 == 0 ? b : a, SwitchMode.SWITCH);   // switch, then confirm over a new connection
                confirmed.add(System.nanoTime() - t0);
            }
        }
        Thread.sleep(3000);
        long afterKb = agent.rssKb();
        agent.stop();
        Collections.sort(plain);
        Collections.sort(confirmed);
        System.out.println("idle_rss_mb=" + Math.round(idleKb / 1024.0));
        System.out.println("idle_rss_kb=" + idleKb);
        System.out.println("start_ms=" + starts.get(2));
        System.out.printf("switch_p50_ms=%.1f%n", pct(plain, 0.50));
        System.out.printf("switch_p99_ms=%.1f%n", pct(plain, 0.99));
        System.out.printf("switch_confirm_p50_ms=%.1f%n", pct(confirmed, 0.50));
        System.out.println("idle_rss_after_switches_mb=" + Math.round(afterKb / 1024.0));
        System.out.println("start_ms_all=" + starts);
    }

    static double pct(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p))) / 1e6;
    }

    static StorePath build(LocalStore store, SigningKey signer, Path work, String name) throws Exception {
        Path tree = Files.createDirectories(work.resolve("build-" + name));
        StringBuilder etc = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            Path f = tree.resolve("etc/conf.d/file-" + i + ".conf");
            Files.createDirectories(f.getParent());
            Files.writeString(f, "system " + name + " file " + i + "\n");
            etc.append(i == 0 ? "" : ",").append("\"conf.d/file-").append(i).append(".conf\":{\"mode\":\"0444\"}");
        }
        Files.writeString(tree.resolve("manifest.json"), "{\"version\":1,\"host\":\"bench\",\"etc\":{" + etc + "}}");
        return store.addTree(tree, "flotilla-system-bench", Set.of(), signer).path();
    }

    record Agent(Process process, int port, long startMillis, Path hostKey) {
        static Agent start(Path bundle, Path work, Path root, String cache) throws Exception {
            List<String> cmd = List.of(bundle.resolve("bin/flotilla-agent").toString(), "run", "--root", root.toString(),
                    "--listen", "127.0.0.1:0", "--host-key", work.resolve("host_key").toString(),
                    "--authorized-keys", work.resolve("authorized_keys").toString(), "--trusted-key", work.resolve("store.pub").toString(),
                    "--services", "builtin");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("agent.log").toFile()));
            pb.environment().put("FLOTILLA_AGENT_CDS", cache);
            // other options to try, appended to the launcher's (the launcher retrains its cache when they change)
            pb.environment().put("FLOTILLA_AGENT_JAVA_OPTS", System.getenv().getOrDefault("AGENT_JAVA_OPTS", "").strip());
            long t0 = System.nanoTime();
            Process p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("flotilla-agent ready on ")) {
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    Thread.ofVirtual().start(() -> {
                        try {
                            out.lines().forEach(l -> { });
                        } catch (java.io.UncheckedIOException closed) {
                            // the agent stopped
                        }
                    });
                    return new Agent(p, Integer.parseInt(line.substring(line.lastIndexOf(':') + 1)), ms, work.resolve("host_key"));
                }
            }
            throw new IllegalStateException("agent did not start; see " + work.resolve("agent.log"));
        }

        AgentClient connect(KeyPair identity) throws Exception {
            return AgentClient.connect("127.0.0.1", port, identity, HostKeyPin.ofPublicKeyFile(SshKeys.publicKeyFile(hostKey)),
                    Duration.ofSeconds(10));
        }

        long rssKb() throws Exception {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        }

        /** Where the idle RSS goes: smaps by mapping (largest first) and, with NMT on, the JVM's own summary. */
        void printBreakdown() throws Exception {
            Path smaps = Path.of("/proc", String.valueOf(process.pid()), "smaps");
            java.util.Map<String, Long> byName = new java.util.TreeMap<>();
            String name = "";
            for (String line : Files.readAllLines(smaps)) {
                if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                    String[] f = line.trim().split("\\s+");
                    name = f.length > 5 ? f[5] : "[anon]";
                } else if (line.startsWith("Rss:")) {
                    byName.merge(name, Long.parseLong(line.replaceAll("[^0-9]", "")), Long::sum);
                }
            }
            byName.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                    .forEach(e -> System.out.println("rss_kb " + e.getValue() + " " + e.getKey()));
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("RssAnon") || line.startsWith("RssFile") || line.startsWith("Threads")) {
                    System.out.println(line.replaceAll("\\s+", " "));
                }
            }
            for (String command : List.of("GC.heap_info", "VM.native_memory")) {
                Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        String.valueOf(process.pid()), command, command.startsWith("VM") ? "summary" : "").redirectErrorStream(true).start();
                System.out.print(new String(jcmd.getInputStream().readAllBytes()));
                jcmd.waitFor();
            }
        }

        void stop() throws Exception {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
