package dev.flotilla.store.copy;

import dev.flotilla.store.ErrorCode;

import java.io.IOException;

/** An error the other side of the copy protocol reported: its code, the path concerned (or null) and why. */
public class StoreProtocolException extends IOException {
    private final ErrorCode code;
    private final String path;

    public StoreProtocolException(ErrorCode code, String path, String message) {
        super("host refused" + (path == null ? "" : " '" + path + "'") + ": " + message + " [" + code + "]");
        this.code = code;
        this.path = path;
    }

    public ErrorCode code() {
        return code;
    }

    /** The store path the error is about, or null. */
    public String path() {
        return path;
    }
}
