package dev.flotilla.store.copy;

import dev.flotilla.store.ErrorCode;

import java.util.List;

/** The JSON payloads of the copy protocol's frames. */
final class Messages {
    private Messages() {
    }

    /**
     * Each side's first frame. The server answers with its own version and the capabilities it
     * accepted among the client's (none yet; {@code zstd} compression of NAR data is the planned first).
     */
    record Hello(int major, int minor, String storeDir, List<String> capabilities) {
    }

    /** A batch of base names; the client's query and the server's answer both end with {@code last}. */
    record Paths(List<String> paths, boolean last) {
    }

    /** Precedes exactly {@code narSize} raw NAR bytes. The size is given apart so the stream can be skipped even if the narinfo is refused. */
    record PathHeader(long narSize, String narinfo) {
    }

    /** Ends the stream of paths; {@code count} guards against a lost or doubled path. */
    record End(int count) {
    }

    /** The server's verdict on a successful stream. */
    record Result(int imported) {
    }

    /** A refusal: {@code code} is an {@link ErrorCode} name. */
    record Error(String code, String path, String message) {
        StoreProtocolException toException() {
            ErrorCode c;
            try {
                c = ErrorCode.valueOf(code);
            } catch (IllegalArgumentException | NullPointerException e) {
                c = ErrorCode.INTERNAL;
            }
            return new StoreProtocolException(c, path, message);
        }
    }

    record Goodbye() {
    }
}
