package dev.flotilla.deploy.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan written back in the schema {@link PlanLoader} reads, so a stored rollout (or a REST response)
 * carries its plan in the same shape a user writes, and reading it back gives an equal plan.
 */
public final class PlanDocument {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanDocument() {}

    public static Map<String, Object> toDocument(Plan plan) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", plan.name());
        d.put("failureBudget", plan.failureBudget().toString());
        d.put("maxUnavailable", plan.maxUnavailable().toString());
        d.put("rollback", plan.rollback().spelling());
        d.put("priorities", plan.priorities());
        List<Map<String, Object>> stages = plan.stages().stream().map(PlanDocument::stage).toList();
        d.put("stages", stages);
        return d;
    }

    public static String toJson(Plan plan) {
        try {
            return JSON.writeValueAsString(toDocument(plan));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> stage(StagePlan s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", s.name());
        s.select().ifPresent(sel -> d.put("select", sel.expression()));
        if (!s.size().equals(Amount.ALL)) {
            d.put(s.size().percent() ? "percent" : "count", s.size().value());
        }
        d.put("batch", s.batch().toString());
        d.put("failureBudget", s.failureBudget().toString());
        d.put("healthGate", millis(s.healthGate()));
        d.put("pause", millis(s.pause()));
        d.put("approval", s.approval());
        return d;
    }

    private static String millis(Duration d) {
        return d.toMillis() + "ms";
    }
}
