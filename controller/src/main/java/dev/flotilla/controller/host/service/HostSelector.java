package dev.flotilla.controller.host.service;

import dev.flotilla.controller.common.ApiException;
import dev.flotilla.inventory.Host;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which hosts a rollout targets: terms separated by commas or spaces, each a host name, a name glob
 * ({@code web-*}), or a tag ({@code @canary}); the union of their matches, in inventory order.
 * {@code *} is every host. A plain name that matches nothing is an error, so a typo never deploys less.
 */
public record HostSelector(String text, List<String> terms) {

    private static final Pattern TERM = Pattern.compile("@?[A-Za-z0-9*][A-Za-z0-9._:*-]*");

    public static HostSelector parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw ApiException.invalid(field, "the selector is empty: name hosts, globs (web-*), tags (@canary) or '*'");
        }
        List<String> terms = new ArrayList<>();
        for (String t : text.trim().split("[,\\s]+")) {
            if (!TERM.matcher(t).matches()) {
                throw ApiException.invalid(field, "invalid selector term '" + t + "': use a host name, a glob like web-*, or @tag");
            }
            terms.add(t);
        }
        return new HostSelector(text.trim(), List.copyOf(terms));
    }

    public List<Host> select(List<Host> hosts, String field) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String term : terms) {
            List<String> matched = hosts.stream().filter(h -> matches(term, h)).map(Host::name).toList();
            if (matched.isEmpty() && !term.contains("*")) {
                throw ApiException.invalid(field, term.startsWith("@")
                        ? "no host has the tag '" + term.substring(1) + "'" : "no host named '" + term + "'");
            }
            chosen.addAll(matched);
        }
        if (chosen.isEmpty()) {
            throw ApiException.invalid(field, "the selector '" + text + "' matches no host");
        }
        return hosts.stream().filter(h -> chosen.contains(h.name())).toList();
    }

    private static boolean matches(String term, Host h) {
        if (term.startsWith("@")) {
            return h.hasTag(term.substring(1));
        }
        if (term.contains("*")) {
            return Pattern.compile(Pattern.quote(term).replace("*", "\\E.*\\Q")).matcher(h.name()).matches();
        }
        return h.name().equals(term);
    }
}
