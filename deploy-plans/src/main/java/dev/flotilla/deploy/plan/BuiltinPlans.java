package dev.flotilla.deploy.plan;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The plans every fleet has without writing one. */
public final class BuiltinPlans {

    private BuiltinPlans() {}

    public static final Plan ALL_AT_ONCE = new Plan("all-at-once",
            List.of(stage("all", Amount.ALL, Amount.ALL, Amount.ALL)),
            Amount.ALL, Amount.ALL, RollbackPolicy.FAILED_HOSTS, List.of());

    public static final Plan ROLLING = new Plan("rolling",
            List.of(stage("rolling", Amount.ALL, new Amount(25, true), Amount.ZERO)),
            Amount.ZERO, new Amount(25, true), RollbackPolicy.FAILED_HOSTS, List.of());

    /** One canary host (a host tagged {@code canary} if there is one), then 10% of the rest, then everything. */
    public static final Plan CANARY = new Plan("canary",
            List.of(stage("canary", new Amount(1, false), Amount.ALL, Amount.ZERO),
                    stage("ten-percent", new Amount(10, true), Amount.ALL, Amount.ZERO),
                    stage("rest", Amount.ALL, new Amount(25, true), Amount.ZERO)),
            Amount.ZERO, Amount.ALL, RollbackPolicy.FAILED_HOSTS, List.of("@canary"));

    private static final Map<String, Plan> BY_NAME = new TreeMap<>(Map.of(
            ALL_AT_ONCE.name(), ALL_AT_ONCE, ROLLING.name(), ROLLING, CANARY.name(), CANARY));

    public static Optional<Plan> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static java.util.Set<String> names() {
        return BY_NAME.keySet();
    }

    private static StagePlan stage(String name, Amount size, Amount batch, Amount budget) {
        return new StagePlan(name, Optional.empty(), size, batch, budget, Duration.ZERO, Duration.ZERO, false);
    }
}
