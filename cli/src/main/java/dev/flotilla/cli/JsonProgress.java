package dev.flotilla.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.deploy.DeployReport;
import dev.flotilla.deploy.HostResult;
import dev.flotilla.deploy.Stage;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One JSON object per line: {@code stage} and {@code result} events, then one {@code report}. */
final class JsonProgress implements Progress {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream out;

    JsonProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void stage(String host, Stage stage, Duration elapsed, String detail) {
        Map<String, Object> e = event("stage");
        e.put("host", host);
        e.put("stage", stage.name().toLowerCase(java.util.Locale.ROOT));
        e.put("elapsedMs", elapsed.toMillis());
        e.put("detail", detail);
        print(e);
    }

    @Override
    public void finished(HostResult r) {
        Map<String, Object> e = event("result");
        e.putAll(result(r));
        print(e);
    }

    @Override
    public void report(DeployReport report) {
        Map<String, Object> e = event("report");
        List<Map<String, Object>> hosts = report.results().stream().map(JsonProgress::result).toList();
        e.put("hosts", hosts);
        e.put("switched", report.count(HostResult.Switched.class));
        e.put("unchanged", report.count(HostResult.Unchanged.class));
        e.put("rolledBack", report.count(HostResult.RolledBack.class));
        e.put("failed", report.count(HostResult.Failed.class));
        e.put("elapsedMs", report.elapsed().toMillis());
        print(e);
    }

    static Map<String, Object> result(HostResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", r.host());
        m.put("result", TextProgress.word(r).toLowerCase(java.util.Locale.ROOT));
        switch (r) {
            case HostResult.Switched s -> {
                m.put("fromGeneration", s.fromGeneration());
                m.put("generation", s.toGeneration());
                m.put("toplevel", s.toplevel());
            }
            case HostResult.Unchanged u -> {
                m.put("generation", u.generation());
                m.put("toplevel", u.toplevel());
            }
            case HostResult.RolledBack b -> {
                m.put("generation", b.generation());
                m.put("failedGeneration", b.failedGeneration());
                m.put("reason", b.reason());
            }
            case HostResult.Failed f -> {
                m.put("stage", f.stage().name().toLowerCase(java.util.Locale.ROOT));
                m.put("reason", f.reason());
            }
        }
        m.put("pathsSent", r.transfer().pathsSent());
        m.put("bytesSent", r.transfer().bytesSent());
        m.put("elapsedMs", r.elapsed().toMillis());
        return m;
    }

    private static Map<String, Object> event(String type) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event", type);
        e.put("time", Instant.now().toString());
        return e;
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
