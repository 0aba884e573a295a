package dev.flotilla.deploy.plan;

/** An invalid plan; the message names the file position and the field, e.g. {@code plan.yaml:7:14: stages[1].batch: ...}. */
public final class PlanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public PlanException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The offending field's path, such as {@code stages[1].batch}; empty for the document as a whole. */
    public String field() {
        return field;
    }
}
