package dev.flotilla.controller.common;

/**
 * The controller's one error type: an HTTP status, a stable code, a message for people and, for bad
 * input, the field at fault. Services throw it; {@code ErrorMappers} turns it into an {@code ApiError}.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;

    public ApiException(int status, String code, String message, String field, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(400, "invalid", message, field, null);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found", null, null);
    }

    public static ApiException conflict(String code, String message, String field) {
        return new ApiException(409, code, message, field, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
