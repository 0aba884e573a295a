package dev.flotilla.agent.protocol;

import dev.flotilla.json.Json;
import dev.flotilla.json.JsonException;
import dev.flotilla.json.JsonValue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/** Frames of the {@code flotilla-agent} protocol: a 4-byte big-endian length, then that many bytes of UTF-8 JSON. */
public final class Frames {
    /** Largest frame either side accepts. */
    public static final int MAX_FRAME = 16 * 1024 * 1024;

    private Frames() {
    }

    public static void write(OutputStream out, JsonValue message) throws IOException {
        byte[] body = Json.write(message);
        if (body.length > MAX_FRAME) {
            throw new IOException("frame of " + body.length + " bytes exceeds the limit of " + MAX_FRAME);
        }
        byte[] header = {(byte) (body.length >>> 24), (byte) (body.length >>> 16), (byte) (body.length >>> 8), (byte) body.length};
        out.write(header);
        out.write(body);
        out.flush();
    }

    /** The next frame, or empty at a clean end of stream (EOF before a frame starts). */
    public static Optional<JsonValue> read(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return Optional.empty();
        }
        DataInputStream data = new DataInputStream(in);
        try {
            int length = (first << 24) | (data.readUnsignedByte() << 16) | (data.readUnsignedByte() << 8) | data.readUnsignedByte();
            if (length < 0 || length > MAX_FRAME) {
                throw new IOException("bad frame length " + length + " (limit " + MAX_FRAME + "): is the peer a flotilla agent?");
            }
            byte[] body = new byte[length];
            data.readFully(body);
            return Optional.of(Json.parse(body));
        } catch (EOFException e) {
            throw new IOException("connection ended inside a frame", e);
        } catch (JsonException e) {
            throw new IOException("a frame that is not JSON: " + e.getMessage(), e);
        }
    }
}
