package dev.flotilla.store.copy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two hand-off streams: every byte in order, failures delivered, no hang. */
@Timeout(10)
class AsyncStreamsTest {
    static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void outputKeepsOrderAcrossFlushesAndFinishesOnClose() throws IOException {
        byte[] d = data(3_000_000);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        AtomicBoolean finished = new AtomicBoolean();
        AsyncOutputStream out = new AsyncOutputStream(sink, () -> finished.set(true), () -> { }, "t", 4096, 3);
        out.write(d, 0, 1000);
        out.flush();
        assertEquals(1000, sink.size(), "flush returns once the bytes went through");
        for (int i = 1000; i < d.length; i += 777) {
            out.write(d, i, Math.min(777, d.length - i));
        }
        out.close();
        assertTrue(finished.get());
        assertArrayEquals(d, sink.toByteArray());
        assertThrows(IOException.class, () -> out.write(1));
    }

    @Test
    void outputReportsTheTargetsFailureAndReleases() {
        AtomicBoolean released = new AtomicBoolean();
        OutputStream broken = new OutputStream() {
            int n;

            @Override
            public void write(int b) throws IOException {
                if (++n > 10_000) {
                    throw new IOException("channel closed");
                }
            }
        };
        AsyncOutputStream out = new AsyncOutputStream(broken, () -> { }, () -> released.set(true), "t", 1024, 2);
        IOException e = assertThrows(IOException.class, () -> {
            for (int i = 0; i < 1000; i++) {
                out.write(new byte[1024]);
            }
            out.close();
        });
        assertEquals("channel closed", e.getMessage());
        out.abort();
        for (int i = 0; i < 100 && !released.get(); i++) {
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException x) {
                throw new AssertionError(x);
            }
        }
        assertTrue(released.get());
    }

    @Test
    void inputDeliversEveryByteThenTheSourcesEndOrFailure() throws IOException {
        byte[] d = data(1_000_000);
        try (AsyncInputStream in = new AsyncInputStream(new ByteArrayInputStream(d), () -> { }, "t", 4096, 3)) {
            assertArrayEquals(d, in.readAllBytes());
            assertEquals(-1, in.read());
        }
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n == 5000) {
                    throw new IOException("cut");
                }
                return d[n++] & 0xFF;
            }
        };
        try (AsyncInputStream in = new AsyncInputStream(failing, () -> { }, "t", 1000, 2)) {
            byte[] got = new byte[5000];
            assertEquals(5000, in.readNBytes(got, 0, 5000));
            assertArrayEquals(Arrays.copyOf(d, 5000), got);
            assertEquals("cut", assertThrows(IOException.class, in::read).getMessage());
        }
    }
}
