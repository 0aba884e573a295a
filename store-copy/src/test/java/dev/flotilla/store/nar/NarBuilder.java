package dev.flotilla.store.nar;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-assembles NAR bytes, including hostile ones. */
final class NarBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static NarBuilder nar() {
        return new NarBuilder().s("nix-archive-1");
    }

    NarBuilder s(String... tokens) {
        for (String t : tokens) {
            bytes(t.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    NarBuilder bytes(byte[] b) {
        len(b.length);
        out.writeBytes(b);
        out.writeBytes(new byte[(8 - b.length % 8) % 8]);
        return this;
    }

    NarBuilder len(long n) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array());
        return this;
    }

    NarBuilder raw(byte... b) {
        out.writeBytes(b);
        return this;
    }

    NarBuilder file(String name, String content) {
        return s("entry", "(", "name", name, "node", "(", "type", "regular", "contents", content, ")", ")");
    }

    byte[] build() {
        return out.toByteArray();
    }
}
