package dev.flotilla.store.copy;

import dev.flotilla.json.JsonArray;
import dev.flotilla.json.JsonObject;
import dev.flotilla.store.ErrorCode;

import java.util.List;

/**
 * The JSON payloads of the copy protocol's frames, each with its {@code toJson} and {@code fromJson}.
 * Field names and order are those of the records' components (what the protocol always sent).
 * Readers ignore fields they do not know: newer minors may add some.
 */
final class Messages {
    private Messages() {
    }

    sealed interface Message permits Hello, Paths, PathHeader, End, Result, Error, Goodbye {
        JsonObject toJson();
    }

    /**
     * Each side's first frame. The server answers with its own version and the capabilities it
     * accepted among the client's ({@code zstd}: see {@link Compression}). An old client may omit them.
     */
    record Hello(int major, int minor, String storeDir, List<String> capabilities) implements Message {
        Hello {
            if (storeDir == null) {
                throw new IllegalArgumentException("storeDir is missing");
            }
            capabilities = capabilities == null ? List.of() : capabilities.stream().filter(c -> c != null).toList();
        }

        @Override
        public JsonObject toJson() {
            return JsonObject.builder().put("major", major).put("minor", minor).put("storeDir", storeDir)
                    .put("capabilities", JsonArray.ofStrings(capabilities)).build();
        }

        static Hello fromJson(JsonObject o) {
            return new Hello(o.intValue("major"), o.intValue("minor"), o.string("storeDir"),
                    o.array("capabilities", JsonArray.EMPTY).strings());
        }
    }

    /** A batch of base names; the client's query and the server's answer both end with {@code last}. */
    record Paths(List<String> paths, boolean last) implements Message {
        Paths {
            if (paths == null || paths.stream().anyMatch(java.util.Objects::isNull)) {
                throw new IllegalArgumentException("paths must be a list of strings");
            }
        }

        @Override
        public JsonObject toJson() {
            return JsonObject.builder().put("paths", JsonArray.ofStrings(paths)).put("last", last).build();
        }

        static Paths fromJson(JsonObject o) {
            return new Paths(o.array("paths").strings(), o.bool("last"));
        }
    }

    /** Precedes exactly {@code narSize} raw NAR bytes. The size is given apart so the stream can be skipped even if the narinfo is refused. */
    record PathHeader(long narSize, String narinfo) implements Message {
        PathHeader {
            if (narinfo == null) {
                throw new IllegalArgumentException("narinfo is missing");
            }
        }

        @Override
        public JsonObject toJson() {
            return JsonObject.builder().put("narSize", narSize).put("narinfo", narinfo).build();
        }

        static PathHeader fromJson(JsonObject o) {
            return new PathHeader(o.longValue("narSize"), o.string("narinfo"));
        }
    }

    /** Ends the stream of paths; {@code count} guards against a lost or doubled path. */
    record End(int count) implements Message {
        @Override
        public JsonObject toJson() {
            return JsonObject.builder().put("count", count).build();
        }

        static End fromJson(JsonObject o) {
            return new End(o.intValue("count"));
        }
    }

    /** The server's verdict on a successful stream. */
    record Result(int imported) implements Message {
        @Override
        public JsonObject toJson() {
            return JsonObject.builder().put("imported", imported).build();
        }

        static Result fromJson(JsonObject o) {
            return new Result(o.intValue("imported"));
        }
    }

    /** A refusal: {@code code} is an {@link ErrorCode} name. */
    record Error(String code, String path, String message) implements Message {
        StoreProtocolException toException() {
            ErrorCode c;
            try {
                c = ErrorCode.valueOf(code);
            } catch (IllegalArgumentException | NullPointerException e) {
                c = ErrorCode.INTERNAL;
            }
            return new StoreProtocolException(c, path, message);
        }

        @Override
        public JsonObject toJson() {
            return JsonObject.builder().put("code", code).put("path", path).put("message", message).build();
        }

        static Error fromJson(JsonObject o) {
            return new Error(o.string("code", null), o.string("path", null), o.string("message", null));
        }
    }

    record Goodbye() implements Message {
        @Override
        public JsonObject toJson() {
            return JsonObject.EMPTY;
        }

        static Goodbye fromJson(JsonObject o) {
            return new Goodbye();
        }
    }
}
