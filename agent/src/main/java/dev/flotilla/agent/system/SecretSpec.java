package dev.flotilla.agent.system;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A secret a system declares ({@code "secrets":{"<name>":{"path":"/run/secrets/x","owner":"root","group":"root","mode":"0400"}}}):
 * only where it goes and who may read it. Its content never enters the store: the deploying side
 * sends it with the switch request and the agent writes it atomically at activation.
 *
 * @param name  [A-Za-z0-9_.@-]+
 * @param path  absolute (logical) path, outside the store and /etc
 * @param owner account name or uid (default root)
 * @param group group name or gid, if any (default: the owner's primary group)
 * @param mode  octal, default 0400
 */
public record SecretSpec(String name, String path, String owner, Optional<String> group, String mode) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]+");

    public SecretSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("secret name must match [A-Za-z0-9_.@-]+, got '" + name + "'");
        }
        if (path == null || !path.startsWith("/") || path.endsWith("/") || path.contains("/../") || path.contains("/./")
                || path.endsWith("/..") || path.contains("//")) {
            throw new IllegalArgumentException("path must be a normal absolute path, got '" + path + "'");
        }
        if (path.startsWith("/flotilla/") || path.equals("/etc") || path.startsWith("/etc/static")) {
            throw new IllegalArgumentException("path " + path + " is the agent's; secrets go elsewhere (e.g. /run/secrets)");
        }
        if (owner == null || !owner.matches("[a-z_][a-z0-9_.-]*\\$?|[0-9]+")) {
            throw new IllegalArgumentException("owner '" + owner + "' is not a valid account name");
        }
        if (mode == null || !mode.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("mode must be octal like \"0400\", got " + mode);
        }
    }

    /** The mode as {@code rwxr-x---} text. */
    public String permissions() {
        String digits = mode.length() == 4 ? mode.substring(1) : mode;
        StringBuilder out = new StringBuilder();
        for (char d : digits.toCharArray()) {
            int v = d - '0';
            out.append((v & 4) != 0 ? 'r' : '-').append((v & 2) != 0 ? 'w' : '-').append((v & 1) != 0 ? 'x' : '-');
        }
        return out.toString();
    }
}
