package dev.flotilla.store.copy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A bounded in-memory pipe, like one direction of an SSH channel. Unlike {@link java.io.PipedInputStream}
 * it does not care which threads write: the client hands its writes to a thread of its own, which
 * may end before the reader has read everything.
 */
final class Pipe {
    private final byte[] ring;
    private int head;
    private int size;
    private boolean writerClosed;
    private boolean readerClosed;

    final InputStream in = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return take(b, off, len);
        }

        @Override
        public int available() {
            synchronized (Pipe.this) {
                return size;
            }
        }

        @Override
        public void close() {
            synchronized (Pipe.this) {
                readerClosed = true;
                Pipe.this.notifyAll();
            }
        }
    };

    final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            put(b, off, len);
        }

        @Override
        public void close() {
            synchronized (Pipe.this) {
                writerClosed = true;
                Pipe.this.notifyAll();
            }
        }
    };

    Pipe(int capacity) {
        ring = new byte[capacity];
    }

    private synchronized int take(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (size == 0) {
            if (writerClosed) {
                return -1;
            }
            if (readerClosed) {
                throw new IOException("pipe closed");
            }
            waitHere();
        }
        int n = Math.min(len, size);
        for (int i = 0; i < n; i++) {
            b[off + i] = ring[(head + i) % ring.length];
        }
        head = (head + n) % ring.length;
        size -= n;
        notifyAll();
        return n;
    }

    private synchronized void put(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (readerClosed || writerClosed) {
                throw new IOException("pipe closed");
            }
            if (size == ring.length) {
                waitHere();
                continue;
            }
            int n = Math.min(len, ring.length - size);
            for (int i = 0; i < n; i++) {
                ring[(head + size + i) % ring.length] = b[off + i];
            }
            size += n;
            off += n;
            len -= n;
            notifyAll();
        }
    }

    private void waitHere() throws InterruptedIOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }
}
