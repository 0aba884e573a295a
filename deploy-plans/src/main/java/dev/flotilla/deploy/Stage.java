package dev.flotilla.deploy;

/** Where a host is in the deployment pipeline; the order is the order of the pipeline. */
public enum Stage {
    EVALUATE("evaluating"),
    BUILD("building"),
    CONNECT("connecting"),
    COPY("copying"),
    SWITCH("switching"),
    DONE("done");

    private final String verb;

    Stage(String verb) {
        this.verb = verb;
    }

    /** The word progress output shows while a host is in this stage. */
    public String verb() {
        return verb;
    }
}
