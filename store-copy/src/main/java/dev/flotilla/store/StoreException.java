package dev.flotilla.store;

import java.io.IOException;

/** The one error type of the store module: a stable {@link ErrorCode}, the path concerned if any, and a message for people. */
public class StoreException extends IOException {
    private final ErrorCode code;
    private final String path;
    private final String reason;

    public StoreException(ErrorCode code, String message) {
        this(code, null, message, null);
    }

    public StoreException(ErrorCode code, String path, String message) {
        this(code, path, message, null);
    }

    public StoreException(ErrorCode code, String path, String message, Throwable cause) {
        super(path == null ? message : "'" + path + "': " + message, cause);
        this.code = code;
        this.path = path;
        this.reason = message;
    }

    /** The message without the path in front of it. */
    public String reason() {
        return reason;
    }

    public ErrorCode code() {
        return code;
    }

    /** The store path (or file) the error is about, or null. */
    public String path() {
        return path;
    }
}
