package dev.flotilla.cli.remote;

import dev.flotilla.cli.ExitCodes;

/** A failed call to the controller: the HTTP status (0 when it was not reached), the API's error code, message and field. */
public final class RemoteException extends Exception {

    private final int status;
    private final String code;
    private final String field;

    public RemoteException(int status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The request field the controller named as invalid, or null. */
    public String field() {
        return field;
    }

    /** What the CLI prints: {@code field: message} for invalid input. */
    public String describe() {
        return (field == null ? "" : field + ": ") + getMessage();
    }

    /** Refused input or token (400, 401, 403, 404, 409, 422) is invalid input; an unreachable or failing controller is internal. */
    public int exitCode() {
        return switch (status) {
            case 400, 401, 403, 404, 409, 422 -> ExitCodes.INVALID_INPUT;
            default -> ExitCodes.INTERNAL;
        };
    }
}
