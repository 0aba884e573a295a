package dev.flotilla.store.copy;

import dev.flotilla.store.ErrorCode;

import java.util.List;

/** The JSON payloads of the copy protocol's frames. */
final class Messages {
    private Messages() {
    }

    /**
     * Each side's first frame. The server answers with its own version and the capabilities it
     * accepted among the client's ({@code zstd}: see {@link Compression}). An old client may omit them.
     */
    record Hello(int major, int minor, String storeDir, List<String> capabilities) {
        Hello {
            if (storeDir == null) {
                throw new IllegalArgumentException("storeDir is missing");
            }
            capabilities = capabilities == null ? List.of() : capabilities.stream().filter(c -> c != null).toList();
        }
    }

    /** A batch of base names; the client's query and the server's answer both end with {@code last}. */
    record Paths(List<String> paths, boolean last) {
        Paths {
            if (paths == null || paths.stream().anyMatch(java.util.Objects::isNull)) {
                throw new IllegalArgumentException("paths must be a list of strings");
            }
        }
    }

    /** Precedes exactly {@code narSize} raw NAR bytes. The size is given apart so the stream can be skipped even if the narinfo is refused. */
    record PathHeader(long narSize, String narinfo) {
        PathHeader {
            if (narinfo == null) {
                throw new IllegalArgumentException("narinfo is missing");
            }
        }
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
