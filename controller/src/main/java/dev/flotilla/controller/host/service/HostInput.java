package dev.flotilla.controller.host.service;

import dev.flotilla.controller.common.ApiException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A host as a client sends it; {@link #validated()} names the first bad field. */
public record HostInput(String name, String address, Integer port, String user, String hostKey,
                        List<String> tags, List<String> groups, Map<String, Object> vars) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    private static final Pattern KEY = Pattern.compile("(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+) [A-Za-z0-9+/=]+( .*)?");

    public HostInput validated() {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.invalid("name", "host name must be letters, digits, '.', '_' and '-', starting with a letter or digit; got '" + name + "'");
        }
        if (address == null || address.isBlank() || address.length() > 253 || address.chars().anyMatch(Character::isWhitespace)) {
            throw ApiException.invalid("address", "address must be a host name or IP address without spaces");
        }
        int p = port == null ? dev.flotilla.inventory.Host.DEFAULT_PORT : port;
        if (p < 1 || p > 65535) {
            throw ApiException.invalid("port", "port must be between 1 and 65535, got " + p);
        }
        String u = user == null || user.isBlank() ? "root" : user;
        if (hostKey != null && !hostKey.isBlank() && !KEY.matcher(hostKey.trim()).matches()) {
            throw ApiException.invalid("hostKey", "hostKey must be an OpenSSH public key line like 'ssh-ed25519 AAAA...'");
        }
        List<String> t = tags == null ? List.of() : tags;
        for (String tag : t) {
            if (tag == null || !TAG.matcher(tag).matches()) {
                throw ApiException.invalid("tags", "tag '" + tag + "' must be letters, digits, '.', '_', ':' and '-'");
            }
        }
        List<String> g = groups == null ? List.of("all") : groups;
        return new HostInput(name, address.trim(), p, u, hostKey == null || hostKey.isBlank() ? null : hostKey.trim(),
                t.stream().distinct().sorted().toList(), g.stream().distinct().sorted().toList(), vars == null ? Map.of() : vars);
    }
}
