package dev.flotilla.inventory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Chooses hosts by a short expression used everywhere hosts are named ({@code --on}):
 * comma-separated terms, each a host or group name or glob ({@code web-*}), or a tag ({@code @canary});
 * a term starting with {@code !} removes what it matches. Positive terms are unioned (all hosts when there
 * are none), then negative terms are taken away: {@code web-*,@canary,!@db}. Selecting no host is an error.
 */
public record HostSelector(String expression, List<Term> terms) {

    /** One comma-separated part of a selector. */
    public record Term(boolean negated, boolean tag, Pattern pattern, String text) {
        boolean matches(Host h) {
            if (tag) {
                return h.tags().stream().anyMatch(t -> pattern.matcher(t).matches());
            }
            return pattern.matcher(h.name()).matches() || h.groups().stream().anyMatch(g -> pattern.matcher(g).matches());
        }
    }

    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._*?\\[\\]-]+");

    public HostSelector {
        terms = List.copyOf(terms);
    }

    public static HostSelector parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("empty host selector; use names, globs (web-*), tags (@canary), groups, ',' and '!'");
        }
        List<Term> terms = new ArrayList<>();
        for (String raw : expression.split(",", -1)) {
            String t = raw.strip();
            boolean negated = t.startsWith("!");
            if (negated) {
                t = t.substring(1);
            }
            boolean tag = t.startsWith("@");
            if (tag) {
                t = t.substring(1);
            }
            if (!WORD.matcher(t).matches()) {
                throw new IllegalArgumentException("invalid term '" + raw.strip() + "' in host selector '" + expression
                        + "': expected a name, a glob like web-*, or a tag like @canary, optionally preceded by '!'");
            }
            terms.add(new Term(negated, tag, glob(t), raw.strip()));
        }
        return new HostSelector(expression, terms);
    }

    /** The selected hosts, in inventory order. */
    public List<Host> select(Inventory inventory) {
        boolean anyPositive = terms.stream().anyMatch(t -> !t.negated());
        Set<Host> chosen = new LinkedHashSet<>();
        for (Host h : inventory.hosts()) {
            boolean in = !anyPositive || terms.stream().anyMatch(t -> !t.negated() && t.matches(h));
            boolean out = terms.stream().anyMatch(t -> t.negated() && t.matches(h));
            if (in && !out) {
                chosen.add(h);
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("host selector '" + expression + "' matches no host of the inventory");
        }
        return List.copyOf(chosen);
    }

    /** Shell-style glob to regex: {@code *}, {@code ?} and {@code [...]}; everything else literal. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException("unclosed '[' in host selector term '" + glob + "'");
                    }
                    // WORD already limits the class to letters, digits, '.', '_' and '-'.
                    re.append('[').append(glob, i + 1, end).append(']');
                    i = end;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
