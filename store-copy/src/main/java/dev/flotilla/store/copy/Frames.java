package dev.flotilla.store.copy;

import dev.flotilla.json.Json;
import dev.flotilla.json.JsonException;
import dev.flotilla.json.JsonObject;
import dev.flotilla.store.ErrorCode;
import dev.flotilla.store.StoreException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The framing layer: {@code u8 type ‖ u32 big-endian length ‖ payload}, the payload a JSON object
 * (one of {@link Messages}). Frames above {@link #MAX_PAYLOAD} are refused on both sides before
 * anything is allocated. NAR bytes are not framed: they follow a path header raw, exactly its size.
 */
final class Frames {
    /** "FLOTSTOR": written once by each side before its hello. */
    static final byte[] MAGIC = "FLOTSTOR".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_PAYLOAD = 1 << 20;

    enum Type {
        HELLO(1), QUERY(2), MISSING(3), PATH(4), END(5), RESULT(6), ERROR(7), GOODBYE(8);

        final int code;

        Type(int code) {
            this.code = code;
        }

        static Type of(int code) throws StoreException {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw protocol("unknown frame type " + code);
        }
    }

    record Frame(Type type, byte[] payload) {
        /** The payload decoded by {@code fromJson} (e.g. {@code Messages.Hello::fromJson}); anything wrong is a protocol error. */
        <T> T as(Function<JsonObject, T> fromJson) throws StoreException {
            try {
                return fromJson.apply(Json.parseObject(payload));
            } catch (JsonException | IllegalArgumentException e) {
                throw protocol("bad " + type + " frame: " + e.getMessage());
            }
        }
    }

    private Frames() {
    }

    static void writeMagic(OutputStream out) throws IOException {
        out.write(MAGIC);
    }

    static void readMagic(InputStream in) throws IOException {
        byte[] got = in.readNBytes(MAGIC.length);
        if (!Arrays.equals(got, MAGIC)) {
            throw protocol("the peer does not speak the Flotilla store protocol (bad magic)");
        }
    }

    static void write(OutputStream out, Type type, Messages.Message message) throws IOException {
        write(out, type, message.toJson());
    }

    /** A frame with any payload (tests send what other versions would). */
    static void write(OutputStream out, Type type, JsonObject json) throws IOException {
        byte[] payload = Json.write(json);
        if (payload.length > MAX_PAYLOAD) {
            throw new StoreException(ErrorCode.INTERNAL, type + " frame of " + payload.length + " bytes is too large");
        }
        byte[] header = {(byte) type.code, (byte) (payload.length >>> 24), (byte) (payload.length >>> 16),
            (byte) (payload.length >>> 8), (byte) payload.length};
        out.write(header);
        out.write(payload);
    }

    /** The next frame, or null if the stream ended cleanly before one began. */
    static Frame read(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        return readAfter(first, in);
    }

    /** The rest of a frame whose first byte (its type) was already read. */
    static Frame readAfter(int first, InputStream in) throws IOException {
        Type type = Type.of(first);
        byte[] len = in.readNBytes(4);
        if (len.length < 4) {
            throw new EOFException("stream ended inside a frame header");
        }
        long length = ((len[0] & 0xFFL) << 24) | ((len[1] & 0xFF) << 16) | ((len[2] & 0xFF) << 8) | (len[3] & 0xFF);
        if (length > MAX_PAYLOAD) {
            throw protocol(type + " frame of " + length + " bytes exceeds the limit of " + MAX_PAYLOAD);
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("stream ended inside a " + type + " frame");
        }
        return new Frame(type, payload);
    }

    /** Reads a frame that must exist and be of {@code expected} type; an ERROR frame becomes an exception. */
    static Frame expect(InputStream in, Type expected) throws IOException {
        Frame f = read(in);
        if (f == null) {
            throw new EOFException("the peer closed the stream while " + expected + " was expected");
        }
        if (f.type() == Type.ERROR && expected != Type.ERROR) {
            throw f.as(Messages.Error::fromJson).toException();
        }
        if (f.type() != expected) {
            throw protocol("expected " + expected + ", got " + f.type());
        }
        return f;
    }

    static StoreException protocol(String message) {
        return new StoreException(ErrorCode.PROTOCOL, message);
    }
}
