package dev.flotilla.eval;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Nix 2.8's "Did you mean ...?": the candidate names closest to what was asked for, by edit
 * distance (then name), at most 5 and at most 2 edits away.
 */
record Suggestions(List<Suggestions.Suggestion> items) {
    static final Suggestions NONE = new Suggestions(List.of());

    record Suggestion(int distance, String name) {}

    private static final Comparator<Suggestion> ORDER =
            Comparator.comparingInt(Suggestion::distance).thenComparing(Suggestion::name);

    static Suggestions bestMatches(Collection<String> names, String wanted) {
        TreeSet<Suggestion> all = new TreeSet<>(ORDER);
        for (String n : names) all.add(new Suggestion(levenshtein(wanted, n), n));
        return new Suggestions(List.copyOf(all));
    }

    Suggestions trimmed() {
        return new Suggestions(items.stream().limit(5).takeWhile(s -> s.distance() <= 2).toList());
    }

    /** "x", or "one of x, y or z"; empty when there is nothing to suggest. */
    String describe() {
        if (items.isEmpty()) return "";
        if (items.size() == 1) return items.get(0).name();
        StringBuilder sb = new StringBuilder("one of ").append(items.get(0).name());
        for (int k = 1; k < items.size(); k++) {
            sb.append(k == items.size() - 1 ? " or " : ", ").append(items.get(k).name());
        }
        return sb.toString();
    }

    static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(subst, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
