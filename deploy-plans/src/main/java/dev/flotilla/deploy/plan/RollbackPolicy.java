package dev.flotilla.deploy.plan;

/** What is rolled back when a failure budget is exceeded (a failed host always rolls itself back). */
public enum RollbackPolicy {
    /** Only the hosts that failed; hosts already switched stay on the new generation. */
    FAILED_HOSTS("failed-hosts"),
    /** Every host of the stage that exceeded its budget. */
    STAGE("stage"),
    /** Every host the rollout switched so far. */
    ROLLOUT("rollout");

    private final String spelling;

    RollbackPolicy(String spelling) {
        this.spelling = spelling;
    }

    public String spelling() {
        return spelling;
    }

    public static RollbackPolicy parse(String s) {
        for (RollbackPolicy p : values()) {
            if (p.spelling.equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("expected one of failed-hosts, stage, rollout; got \"" + s + "\"");
    }
}
