package dev.flotilla.cli.bootstrap;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where OpenSSH reaches a host: {@code [USER@]HOST[:PORT]}, with an IPv6 address in brackets
 * ({@code root@[fd00::1]:2200}).
 *
 * @param user the login user, or empty for ssh's own default (the ssh config, else the local user)
 * @param host host name or address, without brackets
 * @param port OpenSSH's port, or empty for ssh's own default
 */
public record SshTarget(Optional<String> user, String host, Optional<Integer> port) {

    private static final Pattern FORM = Pattern.compile("(?:([^@\\s]+)@)?(\\[[0-9A-Fa-f:.%a-z]+]|[^@:\\[\\]\\s]+)(?::(\\d+))?");

    public SshTarget {
        if (host == null || host.isBlank() || host.startsWith("-")) {
            throw new IllegalArgumentException("invalid host '" + host + "'");
        }
        if (user.isPresent() && (user.get().isBlank() || user.get().startsWith("-"))) {
            throw new IllegalArgumentException("invalid user '" + user.get() + "'");
        }
        port.ifPresent(SshTarget::checkPort);
    }

    static void checkPort(int p) {
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port " + p + " is outside 1..65535");
        }
    }

    /** Parses {@code [USER@]HOST[:PORT]}; the error says what was expected. */
    public static SshTarget parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid host '" + text + "': expected [USER@]HOST[:PORT] (IPv6 as [ADDR])");
        }
        String host = m.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        Optional<Integer> port = Optional.empty();
        if (m.group(3) != null) {
            try {
                port = Optional.of(Integer.parseInt(m.group(3)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid port in '" + text + "'");
            }
        }
        return new SshTarget(Optional.ofNullable(m.group(1)), host, port);
    }

    public SshTarget withPort(int p) {
        return new SshTarget(user, host, Optional.of(p));
    }

    /** The port OpenSSH connects to when none is given here (ssh's own config may still say otherwise). */
    public int portOrDefault() {
        return port.orElse(22);
    }

    /** As known_hosts and ssh-keyscan name it: {@code host} on port 22, else {@code [host]:port}. */
    String knownHostsName() {
        int p = portOrDefault();
        return p == 22 ? host : "[" + host + "]:" + p;
    }

    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return user.map(u -> u + "@").orElse("") + h + port.map(p -> ":" + p).orElse("");
    }
}
