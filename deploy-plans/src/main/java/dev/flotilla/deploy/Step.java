package dev.flotilla.deploy;

import java.util.Locale;

/** A step of the pipeline for one host; a failed host's result names the step that failed. */
public enum Step {
    EVALUATE("evaluating"),
    BUILD("building"),
    CONNECT("connecting"),
    COPY("copying"),
    SWITCH("switching"),
    CHECK("checking"),
    ROLLBACK("rolling back");

    private final String verb;

    Step(String verb) {
        this.verb = verb;
    }

    /** The words progress output uses for a host in this step. */
    public String verb() {
        return verb;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
