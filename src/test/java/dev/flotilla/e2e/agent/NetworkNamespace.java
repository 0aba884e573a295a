package dev.flotilla.e2e.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A host on a network of its own: a network namespace joined to this one by a veth pair with a /30 between them
 * ({@code ip(8)}, needs root). {@link #cut()} takes this side's end of the link down, as a pulled cable or a
 * switch port that died would; {@link #restore()} brings it back.
 */
final class NetworkNamespace implements AutoCloseable {
    private final String name;
    private final String outerLink;
    private final int subnet;

    private NetworkNamespace(String name, String outerLink, int subnet) {
        this.name = name;
        this.outerLink = outerLink;
        this.subnet = subnet;
    }

    /** Whether this process may make namespaces (root, ip(8) present); tests skip otherwise. */
    static boolean available() {
        String probe = "fl-probe-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        try {
            ip("netns", "add", probe);
            ip("netns", "delete", probe);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static NetworkNamespace create() throws IOException {
        String id = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        NetworkNamespace ns = new NetworkNamespace("fl-part-" + id, "flp" + id + "a", ThreadLocalRandom.current().nextInt(1, 255));
        String inner = "flp" + id + "b";
        ip("netns", "add", ns.name);
        try {
            ip("link", "add", ns.outerLink, "type", "veth", "peer", "name", inner);
            ip("link", "set", inner, "netns", ns.name);
            ip("addr", "add", ns.outerAddress() + "/30", "dev", ns.outerLink);
            ip("link", "set", ns.outerLink, "up");
            ip("netns", "exec", ns.name, "ip", "addr", "add", ns.innerAddress() + "/30", "dev", inner);
            ip("netns", "exec", ns.name, "ip", "link", "set", inner, "up");
            ip("netns", "exec", ns.name, "ip", "link", "set", "lo", "up");
        } catch (IOException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    String name() {
        return name;
    }

    /** The address of the namespace's end of the link. */
    String innerAddress() {
        return "10.213." + subnet + ".2";
    }

    private String outerAddress() {
        return "10.213." + subnet + ".1";
    }

    void cut() throws IOException {
        ip("link", "set", outerLink, "down");
    }

    void restore() throws IOException {
        ip("link", "set", outerLink, "up");
    }

    /** Deletes the namespace; its end of the pair goes with it, and this end with its peer. */
    @Override
    public void close() throws IOException {
        try {
            ip("netns", "delete", name);
        } finally {
            if (linkExists(outerLink)) {   // a pair whose inner end never made it into the namespace
                ip("link", "delete", outerLink);
            }
        }
    }

    private static boolean linkExists(String link) {
        try {
            ip("link", "show", link);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run ip(8): " + e.getMessage(), e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }
}
