package dev.flotilla.agent.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code /bin/sh -c} with a time limit; keeps the tail of the combined output. */
final class Shell {
    private static final int MAX_OUTPUT = 2048;

    private Shell() {
    }

    /** @param timedOut whether it was killed at the time limit; {@code exit} is then -1 */
    record Outcome(int exit, boolean timedOut, String output) {
        boolean ok() {
            return !timedOut && exit == 0;
        }

        String describe(Duration timeout) {
            String why = timedOut ? "timed out after " + timeout.toSeconds() + " s" : "exit " + exit;
            return output.isEmpty() ? why : why + ": " + output;
        }
    }

    static Outcome run(String script, Path dir, Map<String, String> env, Duration timeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        Tail tail = new Tail(process.getInputStream());
        Thread reader = Thread.ofVirtual().start(tail);
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
            reader.join(1000);
            return new Outcome(finished ? process.exitValue() : -1, !finished, tail.text());
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static final class Tail implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Tail(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[4096];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    synchronized (kept) {
                        kept.write(buffer, 0, n);
                        if (kept.size() > 2 * MAX_OUTPUT) {
                            byte[] all = kept.toByteArray();
                            kept.reset();
                            kept.write(all, all.length - MAX_OUTPUT, MAX_OUTPUT);
                        }
                    }
                }
            } catch (IOException ignored) {
                // killed
            }
        }

        String text() {
            synchronized (kept) {
                String t = kept.toString(StandardCharsets.UTF_8).strip();
                return t.length() <= MAX_OUTPUT ? t : "…" + t.substring(t.length() - MAX_OUTPUT);
            }
        }
    }
}
