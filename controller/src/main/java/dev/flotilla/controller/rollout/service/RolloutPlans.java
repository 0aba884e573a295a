package dev.flotilla.controller.rollout.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.controller.common.ApiException;
import dev.flotilla.deploy.plan.BuiltinPlans;
import dev.flotilla.deploy.plan.Plan;
import dev.flotilla.deploy.plan.PlanException;
import dev.flotilla.deploy.plan.PlanLoader;
import dev.flotilla.deploy.plan.Planner;
import dev.flotilla.inventory.Host;
import java.util.List;

/**
 * A request's {@code plan}: a built-in plan's name, or a plan document in the CLI's schema as JSON.
 * Errors are 400s naming the plan field at fault ({@code plan.stages[1].batch}).
 */
final class RolloutPlans {

    private RolloutPlans() {}

    /** The plan, checked against the hosts it will place in stages; absent: all at once. */
    static Plan parse(JsonNode plan, List<Host> targets) {
        Plan p;
        if (plan == null || plan.isNull()) {
            p = BuiltinPlans.ALL_AT_ONCE;
        } else if (plan.isTextual()) {
            p = BuiltinPlans.byName(plan.asText()).orElseThrow(() -> ApiException.invalid("plan", "no built-in plan named '"
                    + plan.asText() + "' (built-in: " + String.join(", ", BuiltinPlans.names()) + "); or give a plan document"));
        } else if (plan.isObject()) {
            try {
                // JSON is YAML: the CLI's loader reads it and reports line and column within this document.
                p = PlanLoader.parse("plan", plan.toPrettyString());
            } catch (PlanException e) {
                throw ApiException.invalid(e.field().isEmpty() ? "plan" : "plan." + e.field(), e.getMessage());
            }
        } else {
            throw ApiException.invalid("plan", "plan must be a built-in plan's name or a plan document (an object), got " + plan.getNodeType());
        }
        try {
            Planner.assign(p, targets);
        } catch (PlanException e) {
            throw ApiException.invalid(e.field().isEmpty() ? "plan" : "plan." + e.field(), e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("plan", e.getMessage());
        }
        return p;
    }
}
