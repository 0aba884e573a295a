package dev.flotilla.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.deploy.RolloutReport;
import dev.flotilla.deploy.rollout.HostRecord;
import dev.flotilla.deploy.rollout.RolloutEvent;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One JSON object per line, as events happen: {@code rollout} (started or resumed), {@code stage} (the copy
 * phase is stage {@code copy}, number 0), {@code waiting}, {@code host} (a state change: from, to, detail,
 * elapsedMs, bytes), {@code stage-finished}, {@code finished}, then one {@code report}.
 */
final class JsonProgress implements Progress {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream out;

    JsonProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void on(RolloutEvent event) {
        Map<String, Object> e = new LinkedHashMap<>();
        switch (event) {
            case RolloutEvent.Started s -> {
                put(e, "rollout", s.time(), s.rollout());
                e.put("goal", s.goal().word());
                e.put("plan", s.plan());
                e.put("stages", s.stages());
                e.put("hosts", s.hosts());
                e.put("resumed", s.resumed());
            }
            case RolloutEvent.StageStarted s -> {
                put(e, "stage", s.time(), s.rollout());
                e.put("stage", s.stage());
                e.put("number", s.number());
                e.put("of", s.of());
                e.put("hosts", s.hosts());
            }
            case RolloutEvent.Waiting w -> {
                put(e, "waiting", w.time(), w.rollout());
                e.put("stage", w.stage());
                e.put("reason", w.reason());
                e.put("durationMs", w.duration().toMillis());
            }
            case RolloutEvent.Transition t -> {
                put(e, "host", t.time(), t.rollout());
                e.put("host", t.host());
                e.put("from", t.from().word());
                e.put("to", t.to().word());
                e.put("detail", t.detail());
                e.put("elapsedMs", t.elapsed().toMillis());
                e.put("bytes", t.bytes());
            }
            case RolloutEvent.StageFinished f -> {
                put(e, "stage-finished", f.time(), f.rollout());
                e.put("stage", f.stage());
                e.put("confirmed", f.confirmed());
                e.put("failed", f.failed());
            }
            case RolloutEvent.Finished f -> {
                put(e, "finished", f.time(), f.rollout());
                e.put("status", f.status().word());
                e.put("reason", f.reason());
                e.put("elapsedMs", f.elapsed().toMillis());
            }
        }
        print(e);
    }

    @Override
    public void report(RolloutReport report) {
        Map<String, Object> e = new LinkedHashMap<>();
        put(e, "report", Instant.now(), report.rolloutId().orElse(null));
        e.put("outcome", report.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        e.put("exitCode", ExitCodes.of(report.outcome()));
        e.put("reason", report.reason());
        List<Map<String, Object>> hosts = new java.util.ArrayList<>();
        report.invalid().forEach((host, ex) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", host);
            m.put("result", "failed");
            m.put("step", ex.step().word());
            m.put("reason", ex.getMessage());
            hosts.add(m);
        });
        report.hosts().forEach(h -> hosts.add(result(h)));
        e.put("hosts", hosts);
        e.put("switched", report.count(HostRecord.Result.SWITCHED));
        e.put("unchanged", report.count(HostRecord.Result.UNCHANGED));
        e.put("rolledBack", report.count(HostRecord.Result.ROLLED_BACK));
        e.put("failed", report.count(HostRecord.Result.FAILED) + report.invalid().size());
        e.put("notSwitched", report.count(HostRecord.Result.NOT_SWITCHED));
        e.put("elapsedMs", report.elapsed().toMillis());
        print(e);
    }

    static Map<String, Object> result(HostRecord h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", h.name());
        m.put("result", h.result().word());
        m.put("state", h.state().word());
        m.put("stage", h.stage());
        m.put("fromGeneration", h.fromGeneration());
        m.put("generation", h.generation());
        if (!h.toplevel().isEmpty()) {
            m.put("toplevel", h.toplevel());
        }
        h.failedStep().ifPresent(s -> m.put("step", s.word()));
        m.put("reason", h.reason());
        m.put("pathsSent", h.pathsSent());
        m.put("bytesSent", h.bytesSent());
        return m;
    }

    private static void put(Map<String, Object> e, String type, Instant time, String rollout) {
        e.put("event", type);
        e.put("time", time.toString());
        e.put("rollout", rollout);
    }

    private synchronized void print(Map<String, Object> e) {
        try {
            out.println(JSON.writeValueAsString(e));
            out.flush();
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
